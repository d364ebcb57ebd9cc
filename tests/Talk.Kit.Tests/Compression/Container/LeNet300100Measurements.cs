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

    [Fact]
    public void TrainedLeNet300100_FromTheKitCache_IfPresent()
    {
        string cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "talkkit", "models");
        string? path = Directory.Exists(cache)
            ? Directory.GetDirectories(cache, "lenet-300-100-*").Select(d => Path.Combine(d, "model.onnx")).FirstOrDefault(File.Exists)
            : null;
        if (path is null)
        {
            output.WriteLine($"No trained LeNet-300-100 in {cache}: nothing to measure (train one with the kit's zoo).");
            return;
        }
        var trained = ModelLoader.Load(path); // read-only: Model never writes its source file
        var proto = trained.ToProto();
        var gemmWeights = proto.Graph.Node.Where(n => n.OpType is "Gemm" or "MatMul").Select(n => n.Input[1]).ToArray();
        Assert.Equal(3, gemmWeights.Length);
        for (int i = 0; i < 3; i++) // one-shot magnitude pruning to the paper's rates, no retraining
        {
            var t = proto.Graph.Initializer.First(x => x.Name == gemmWeights[i]);
            var pruned = GemmNet.Pruned(trained.FloatInitializer(t.Name), Layers[i].Keep);
            t.FloatData.Clear();
            t.RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pruned.AsSpan()));
        }
        var prunedModel = trained.With(proto, LineageStep.Now("prune-magnitude", new Dictionary<string, string> { ["keep"] = "8%, 9%, 26%" }));

        var compressed = DeepCompression.Compress(prunedModel, PaperSettings(gemmWeights));
        output.WriteLine(compressed.Report.ToString());
        output.WriteLine($"file {compressed.Bytes.Length:N0} B = {compressed.Bytes.Length / 1000.0:F1} KB; " +
                         $"{compressed.Report.CompressionRatio:F1}× vs dense {trained.InitializerBytes:N0} B (onnx file {trained.SizeBytes:N0} B)");
        Assert.InRange(compressed.Report.CompressionRatio, 25, 80);

        var decoded = DeepCompression.Decompress(compressed.ToArray(), "lenet-300-100-dc");
        if (DatasetLocator.FindFashionMnist().Chosen is null) return;
        var test = FashionMnist.LoadTest();
        foreach (var m in new[] { trained, prunedModel, decoded })
            output.WriteLine($"{m.Name}: Fashion-MNIST test accuracy {Evaluator.Accuracy(m, test, threads: 1).Accuracy:P2}");
    }
}
