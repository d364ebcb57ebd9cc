using Talk.Kit.Compression.Quantization;

namespace Talk.Kit.Tests.Compression.Quantization;

public sealed class QuantizationErrorTests
{
    private static readonly ActivationRanges none = new(new Dictionary<string, TensorRange>(), "none", 0);

    [Fact]
    public void NothingQuantizable_SaysSoAndNamesTheSupportedOps()
    {
        var model = QuantGraphs.AddRelu();

        var error = Assert.Throws<QuantizationException>(() => StaticQuantizer.Quantize(model, none));

        Assert.Equal(
            "Model 'add-relu' has nothing to quantize: it has Add ×1, Relu ×1, and no Conv, Gemm or MatMul. Static quantization " +
            "starts at Conv, Gemm and MatMul with a constant weight and carries int8 between them through Add, AveragePool, " +
            "GlobalAveragePool, MaxPool, Flatten, Reshape, Transpose, Relu.", error.Message);
    }

    [Fact]
    public void MissingRange_NamesTheTensor_AndSaysToCalibrate()
    {
        var model = QuantGraphs.ConvNet();
        var full = MinMaxRanges.Compute(model, MinMaxRanges.Random(QuantGraphs.ConvNetInput));
        var ranges = full with { Ranges = full.Ranges.Where(r => r.Key != "r").ToDictionary() };

        var error = Assert.Throws<QuantizationException>(() => StaticQuantizer.Quantize(model, ranges));

        Assert.Contains("No activation range for tensor 'r' (at conv)", error.Message);
        Assert.Contains("Calibrate the prepared model", error.Message);
    }

    [Fact]
    public void UnpreparedModel_AsksForThePreparation()
    {
        var model = QuantGraphs.ConvNet(opset: 11);

        var error = Assert.Throws<QuantizationException>(() => StaticQuantizer.Quantize(model, none));

        Assert.Contains("imports opset 11", error.Message);
        Assert.Contains("QuantizationPreparation.Prepare(model)", error.Message);
    }

    [Fact]
    public void UnknownKeepFp32Node_IsNamed()
    {
        var model = QuantGraphs.ConvNet();
        var options = new StaticQuantizationOptions { KeepFp32 = new HashSet<string> { "conv9" } };

        var error = Assert.Throws<ArgumentException>(() => StaticQuantizer.Quantize(model, none, options));

        Assert.Contains("'conv9'", error.Message);
        Assert.Contains("conv, fc", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void WeightBitsOutsideTwoToEight_AreRejected(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticQuantizationOptions { WeightBits = bits }.Validate());
}
