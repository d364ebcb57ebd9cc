using Talk.Kit.Models;
using Talk.Kit.Compression.Quantization;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Compression.Quantization;

public sealed class DynamicQuantizerTests
{
    private static readonly Model mlp = QuantizationPreparation.Prepare(QuantGraphs.Mlp()).Model; // Gemm (transB 0) ×2

    [Fact]
    public void GemmBecomesDynamicQuantizeLinearAndMatMulInteger_WithInt8Weights()
    {
        var result = DynamicQuantizer.Quantize(mlp);
        var graph = result.Model.ToProto().Graph;

        Assert.Equal(2, graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        Assert.Equal(2, graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Gemm");
        var w = graph.Initializer.Single(t => t.Name == result.ParamsByNode.Values.First().QuantizedWeight);
        Assert.Equal((int)OnnxElementType.Int8, w.DataType);
        Assert.Equal([64L, 32], w.Dims);                                        // [K, N]
        Assert.Equal(32, result.ParamsByNode.Values.First().Params.Count);      // per column
        Assert.Empty(result.ActivationParams);
    }

    [Fact]
    public void OrtRunsDynamicQuantizeMatMul_AndNoFloatGemm()
    {
        var result = DynamicQuantizer.Quantize(mlp);

        var kernels = KernelInspector.Inspect(result.Model);

        Assert.Equal(2, kernels.Count("DynamicQuantizeMatMul"));
        Assert.False(kernels.HasFloatConvOrGemm, kernels.ToString());
        Assert.Equal(0, kernels.Count("MatMulInteger"));                        // all fused
    }

    [Fact]
    public void TransposedGemmWeights_AreTransposedToKN_AndAgreeWithFp32()
    {
        var fp32 = QuantGraphs.ConvNet();                                       // its Gemm has transB = 1
        var result = DynamicQuantizer.Quantize(fp32, new DynamicQuantizationOptions { WeightBits = 7 });
        var inputs = MinMaxRanges.Random(QuantGraphs.ConvNetInput, batches: 4, seed: 9).ToList();

        var agreement = Evaluator.Agreement(result.Model, fp32, inputs, threads: 1);

        Assert.Equal([128L, 10], result.ParamsByNode["fc"].Shape);
        Assert.Contains(result.Skipped, s => s.Node == "conv");
        Assert.True(agreement.MeanCosine >= 0.999, agreement.ToString());
    }

    [Fact]
    public void NoGemmOrMatMul_IsAClearError()
    {
        var error = Assert.Throws<QuantizationException>(() => DynamicQuantizer.Quantize(QuantGraphs.AddRelu()));

        Assert.Contains("nothing to quantize dynamically", error.Message);
        Assert.Contains("Gemm and MatMul", error.Message);
    }
}
