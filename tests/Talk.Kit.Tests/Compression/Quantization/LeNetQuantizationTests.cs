using Talk.Kit.Compression.Quantization;
using Talk.Kit.Data;
using Talk.Kit.Runtime;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training;

namespace Talk.Kit.Tests.Compression.Quantization;

/// <summary>The trained LeNet-5 (zoo, cached after ~50 s of training) quantized with ranges from 500 training images.</summary>
[Collection(TorchCollection.Name)]
public sealed class LeNetQuantizationTests
{
    public const int CalibrationImages = 500;

    /// <summary>The first <see cref="CalibrationImages"/> training images in batches of 100 (NCHW, normalized).</summary>
    internal static IEnumerable<(float[] Data, long[] Shape)> CalibrationBatches(LabelledImages train)
    {
        for (int start = 0; start < CalibrationImages; start += 100)
            yield return (train.ToTensorData(start, 100), [100, 1, train.Rows, train.Cols]);
    }

    [Fact]
    public void StaticPerChannel_LosesAtMostHalfAPointOfTestAccuracy_AndRunsInt8Kernels()
    {
        var data = FashionMnist.Load();
        var fp32 = Zoo.Get("lenet-5").Model;
        var prepared = QuantizationPreparation.Prepare(fp32).Model;
        var ranges = MinMaxRanges.Compute(prepared, CalibrationBatches(data.Train));
        var int8 = StaticQuantizer.Quantize(prepared, ranges, StaticQuantizationOptions.ForThisMachine()).Model;

        double before = Evaluator.Accuracy(fp32, data.Test, threads: 2).Accuracy;
        double after = Evaluator.Accuracy(int8, data.Test, threads: 2).Accuracy;
        var kernels = KernelInspector.Inspect(int8);

        Assert.True(before - after <= 0.005, $"fp32 {before:P2} → int8 {after:P2}");
        Assert.Equal(2, kernels.Count("QLinearConv"));
        Assert.Equal(3, kernels.Count("QGemm"));
        Assert.False(kernels.HasFloatConvOrGemm, kernels.ToString());
    }
}
