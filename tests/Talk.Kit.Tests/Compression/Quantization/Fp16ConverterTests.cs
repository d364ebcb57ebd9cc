using Talk.Kit.Models;
using Talk.Kit.Compression.Quantization;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Compression.Quantization;

public sealed class Fp16ConverterTests
{
    [Fact]
    public void HalvesTheWeights_KeepsAnFp32Interface_AndAgreesWithFp32()
    {
        var fp32 = QuantGraphs.WideConvNet();
        var result = Fp16Converter.Convert(fp32);
        var inputs = MinMaxRanges.Random([2, 16, 16, 16], batches: 4, seed: 3).ToList();

        var agreement = Evaluator.Agreement(result.Model, fp32, inputs, threads: 1); // fp32 tensors in, fp32 out

        Assert.Equal(fp32.InitializerBytes / 2, result.Model.InitializerBytes);
        Assert.Equal(0.5, result.SizeRatio);
        Assert.All(result.Model.ToProto().Graph.Initializer, t => Assert.Equal((int)OnnxElementType.Float16, t.DataType));
        Assert.Equal(fp32.Inputs.Select(i => i.ElementType), result.Model.Inputs.Select(i => i.ElementType));
        Assert.Equal(fp32.Outputs.Select(o => o.ElementType), result.Model.Outputs.Select(o => o.ElementType));
        Assert.True(agreement.MeanCosine >= 0.999, agreement.ToString());
        Assert.Equal(1.0, agreement.Top1Agreement);
        Assert.Contains("no speed-up", result.Note);
    }

    [Fact]
    public void OrtOnThisCpu_UpcastsTheWholeModel_AndRunsFloat32Kernels()
    {
        var result = Fp16Converter.Convert(QuantGraphs.WideConvNet());

        var kernels = KernelInspector.Inspect(result.Model);

        // ORT 1.31.1 CPU: no float16 Conv/Gemm kernel on x86, so InsertCastTransformer casts around them, then the Cast
        // pairs cancel and the float16 weights are folded back to float32: the same NCHWc fp32 convs as the fp32 model
        // (measured: ReorderInput, nchwc:Conv ×2, nchwc:MaxPool ×2, ReorderOutput, Flatten, Gemm, one Cast at the end).
        Assert.Equal(2, kernels.OpCounts.GetValueOrDefault("com.microsoft.nchwc:Conv"));
        Assert.Equal(1, kernels.Count("Gemm"));
        Assert.InRange(kernels.Count("Cast"), 0, 1);
    }
}
