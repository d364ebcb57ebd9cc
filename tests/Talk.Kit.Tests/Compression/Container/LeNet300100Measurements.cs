using Talk.Kit.Compression.Container;
using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Xunit.Abstractions;

namespace Talk.Kit.Tests.Compression.Container;

/// <summary>
/// Deep Compression's LeNet-300-100 row (Han et al. 2016, Table 2: 1070 KB → 27 KB, 40×) measured on this kit's file:
/// the paper's per-layer pruning (8 %, 9 %, 26 % kept), 6-bit shared weights, 5-bit relative index.
/// </summary>
public class LeNet300100Measurements(ITestOutputHelper output)
{
    private static readonly (string Weight, string Bias, int Out, int In, double Keep)[] Layers =
        [("fc1.w", "fc1.b", 300, 784, 0.08), ("fc2.w", "fc2.b", 100, 300, 0.09), ("fc3.w", "fc3.b", 10, 100, 0.26)];

    private static CompressionSettings PaperSettings(IEnumerable<string> weights) =>
        new(weights.Select(w => new LayerCompression(w, WeightBits: 6, IndexBits: 5)).ToArray());

    [Fact]
    public void SyntheticGaussianWeights_PrunedAsInThePaper_CompressAbout40Fold()
    {
        var random = new Random(300100);
        var b = new OnnxGraphBuilder("lenet-300-100-synthetic")
            .Input("x", OnnxElementType.Float, -1, 784);
        string input = "x";
        foreach (var (weight, bias, outs, ins, keep) in Layers)
        {
            var w = GemmNet.Pruned(GemmNet.Gaussian(random, outs * ins, std: Math.Sqrt(2.0 / ins)), keep);
            b.Initializer(weight, w, outs, ins).Initializer(bias, GemmNet.Gaussian(random, outs, 0.01), outs)
             .Node("Gemm", [input, weight, bias], [weight + ".y"], new Dictionary<string, object> { ["transB"] = 1L });
            input = weight + ".y";
            if (weight != "fc3.w")
            {
                b.Node("Relu", [input], [weight + ".r"]);
                input = weight + ".r";
            }
        }
        var model = Model.FromBytes(b.Output(input, OnnxElementType.Float, -1, 10).ToBytes(), "lenet-300-100-synthetic");

        var compressed = DeepCompression.Compress(model, PaperSettings(Layers.Select(l => l.Weight)));
        output.WriteLine(compressed.Report.ToString());
        output.WriteLine($"file {compressed.Bytes.Length:N0} B = {compressed.Bytes.Length / 1000.0:F1} KB; " +
                         $"{compressed.Report.CompressionRatio:F1}× vs dense {model.InitializerBytes:N0} B; paper: 27 KB, 40× vs 1070 KB");

        Assert.InRange(compressed.Report.CompressionRatio, 30, 60);
        Assert.True(compressed.Report.Stages.Huffman < compressed.Report.Stages.Shared);
    }
}
