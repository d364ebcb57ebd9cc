using Talk.Kit.Models;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Export;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Qat;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Training.Qat;

[Collection(TorchCollection.Name)]
public sealed class BatchNormFoldingTests
{
    [Fact]
    public void FoldedVggBn_ComputesWhatTheOriginalComputes_InEvalMode()
    {
        using var original = QatNets.VggBnWithStatistics();
        using var folded = BatchNormFolding.FoldedCopy(original);
        original.eval();
        folded.eval();
        double maxDiff = OrtAgreement.MaxDiffOverScale(original, folded, [1, 28, 28], seed: 7);   // both judged by ONNX Runtime
        Assert.True(maxDiff <= 1e-5, $"max |Δ| = {maxDiff} of the output's scale");
        Assert.Empty(folded.modules().OfType<BatchNorm2d>());
        Assert.Equal(6, folded.modules().OfType<Conv2d>().Count(c => c.bias is not null)); // each conv got BN's shift as bias
    }

    [Fact]
    public void Folding_LeavesTheOriginalUntouched_AndTheCopyIndependent()
    {
        using var original = QatNets.VggBnWithStatistics();
        var before = original.parameters().Select(p => p.sum().item<float>()).ToArray();
        using var folded = BatchNormFolding.FoldedCopy(original);
        using (no_grad())
            foreach (var p in folded.parameters()) p.add_(1f);
        Assert.Equal(before, original.parameters().Select(p => p.sum().item<float>()).ToArray());
        Assert.Equal(6, original.modules().OfType<BatchNorm2d>().Count());
    }

    [Fact]
    public void FoldedVggBn_ExportsWithoutBatchNormalization()
    {
        using var folded = BatchNormFolding.FoldedCopy(QatNets.VggBnWithStatistics());
        var model = Model.FromBytes(OnnxExporter.Export(folded, "vgg-bn-folded", [1, 28, 28]), "vgg-bn-folded"); // verified in ONNX Runtime
        Assert.False(model.OpTypeCounts.ContainsKey("BatchNormalization"));
        Assert.Equal(6, model.OpTypeCounts["Conv"]);
    }

    [Fact]
    public void ABatchNormWithoutAConvBeforeIt_IsRefused()
    {
        using var net = nn.Sequential(("bn", nn.BatchNorm2d(1)), ("flatten", nn.Flatten()));
        Assert.Contains("does not follow a Conv2d", Assert.Throws<NotSupportedException>(() => BatchNormFolding.FoldedCopy(net)).Message);
    }
}

/// <summary>Networks for the QAT tests, built without training.</summary>
internal static class QatNets
{
    /// <summary>vgg-bn with BatchNorm statistics and affine parameters far from their defaults (μ 0, σ² 1, γ 1, β 0), so folding changes the weights.</summary>
    public static nn.Module<Tensor, Tensor> VggBnWithStatistics()
    {
        var net = NetworkCatalog.Create("vgg-bn", seed: 3);
        var generator = new TorchSharp.torch.Generator(11);
        using var noGrad = no_grad();
        foreach (var bn in net.modules().OfType<BatchNorm2d>())
        {
            long c = bn.num_features;
            bn.running_mean!.copy_(randn(c, generator: generator) * 0.5f);
            bn.running_var!.copy_(rand(c, generator: generator) + 0.5f);
            bn.weight!.copy_(randn(c, generator: generator) * 0.2f + 1f);
            bn.bias!.copy_(randn(c, generator: generator) * 0.1f);
        }
        net.eval();
        return net;
    }
}
