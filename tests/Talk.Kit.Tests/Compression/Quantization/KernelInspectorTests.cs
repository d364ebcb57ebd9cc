using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Compression.Quantization;

namespace Talk.Kit.Tests.Compression.Quantization;

public sealed class KernelInspectorTests
{
    [Fact]
    public void QuantizedConvNet_RunsQLinearConvAndQGemm_AndNoFloatConvAtAll()
    {
        var fp32 = QuantGraphs.WideConvNet();
        var ranges = MinMaxRanges.Compute(fp32, MinMaxRanges.Random([2, 16, 16, 16]));
        var int8 = StaticQuantizer.Quantize(fp32, ranges).Model;

        var report = KernelInspector.Inspect(int8, GraphOptimizationLevel.ORT_ENABLE_ALL);

        Assert.Equal(2, report.Count("QLinearConv"));   // NHWC com.microsoft:QLinearConv at "all"
        Assert.Equal(1, report.Count("QGemm"));
        Assert.Equal(0, report.Count("Relu"));          // folded into the Q of each conv
        Assert.False(report.HasFloatConvOrGemm, report.ToString());
        Assert.Equal(1, report.Count("QuantizeLinear")); // int8 from the input to the logits: one Q at the input
    }

    [Fact]
    public void Fp32ConvNet_ShowsFloatConvs_AndNoIntegerKernels()
    {
        var report = KernelInspector.Inspect(QuantGraphs.WideConvNet(), GraphOptimizationLevel.ORT_ENABLE_EXTENDED);

        Assert.True(report.HasFloatConvOrGemm);
        Assert.Equal(2, report.Count("FusedConv"));      // Conv+Relu fused by ORT at "extended"
        Assert.Empty(report.IntegerKernels);
        Assert.Contains("no integer kernels", report.ToString());
    }
}
