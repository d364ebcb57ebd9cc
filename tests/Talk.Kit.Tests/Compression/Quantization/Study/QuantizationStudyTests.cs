using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Calibration;
using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Data;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training;

namespace Talk.Kit.Tests.Compression.Quantization.Study;

/// <summary>The whole study on the zoo's LeNet-5 (cached after one training run), with short measurements.</summary>
[Collection(TorchCollection.Name)]
public sealed class QuantizationStudyTests
{
    private static readonly QuantizationData data = QuantizationData.FashionMnist(FashionMnist.Load());

    private static QuantizationRequest Short(QuantizationRequest? r = null) => (r ?? new QuantizationRequest()) with
    {
        Samples = 256, EvaluationImages = 1000, Batches = [1], Runs = 3, Threads = 1,
    };

    [Fact]
    public void Static_MeasuresSizeQualityLatencyErrorsHistogramAndKernels()
    {
        var recorded = new List<QuantizationProgress>();
        var study = QuantizationStudy.Run(Zoo.Get("lenet-5").Model, data, Short(new() { Calibration = CalibrationMethod.Percentile }), new Recorder(recorded));

        Assert.Equal(2, study.Kernels.Count("QLinearConv"));
        Assert.False(study.Kernels.HasFloatConvOrGemm, study.Kernels.ToString());
        Assert.InRange(study.Sizes.Ratio, 3, 4.1);                                  // int8 weights: ~¼ of fp32, plus scales and graph
        Assert.True(study.Quality.AccuracyDrop <= 0.01, $"drop {study.Quality.AccuracyDrop:P2}");
        Assert.True(study.Quality.Agreement.Top1Agreement >= 0.97);
        Assert.Equal(1000, study.Quality.QuantizedAccuracy!.Images);
        Assert.Equal(5, study.LayerErrors.Count);                                   // conv1, conv2, fc1, fc2, fc3
        Assert.All(study.LayerErrors, e => Assert.InRange(e.SqnrDb, 10, 60));
        Assert.Equal(study.LayerErrors.MinBy(e => e.SqnrDb)!.Node, study.Histogram!.Node);
        Assert.Equal(study.Histogram.Params.Type.QMax - study.Histogram.Params.Type.QMin + 1, study.Histogram.Grid.Count);
        Assert.Equal(study.Histogram.BinEdges.Count - 1, study.Histogram.Counts.Count);
        Assert.Single(study.Latency);
        Assert.NotNull(study.LatencyRatio(1));
        Assert.Contains("Percentile 99.99", study.Method);
        Assert.Contains(recorded, p => p.Stage == "calibrate" && p.Done == p.Total && p.Total == 256);
    }

    [Fact]
    public void Auto_IsNeverSlowerThanFp32ByConstruction_AndExplainsEveryStep()
    {
        var study = QuantizationStudy.Run(Zoo.Get("lenet-5").Model, data, Short(new() { AutoKeepFp32 = true, MaxAccuracyDrop = 0.005 }));

        var decision = study.MixedPrecision!;
        Assert.Equal(5, decision.Sensitivity.Layers.Count);
        Assert.All(decision.Sensitivity.Layers, l => Assert.True(l.LatencyKeepingFp32 > 0));
        Assert.True(decision.Steps.Count >= 2, string.Join("\n", decision.Steps));
        double ratio = decision.FinalLatency.RatioMedian("mixed", "fp32");
        if (decision.UseFp32)
            Assert.Empty(study.Kernels.IntegerKernels);                             // int8 did not pay: the fp32 model is the result
        else
            Assert.True(ratio < 1 && study.Kernels.IntegerKernels.Count > 0, $"kept int8 at ×{ratio:0.00}");
    }

    [Fact]
    public void Fp16_HalvesTheWeights_AndDynamic_RunsIntegerMatMuls()
    {
        var mlp = Zoo.Get("lenet-300-100").Model;
        var fp16 = QuantizationStudy.Run(mlp, data, Short(new() { Method = QuantizationMethod.Fp16 }));
        var dynamic = QuantizationStudy.Run(mlp, data, Short(new() { Method = QuantizationMethod.Dynamic }));

        Assert.InRange(fp16.Sizes.Ratio, 1.9, 2.01);
        Assert.True(fp16.Quality.Agreement.MeanCosine > 0.9999);
        Assert.Empty(fp16.LayerErrors);
        Assert.Equal(3, dynamic.Kernels.Count("DynamicQuantizeMatMul") + dynamic.Kernels.Count("MatMulIntegerToFloat"));
        Assert.True(dynamic.Quality.AccuracyDrop <= 0.01);
    }

    [Fact]
    public void ABadRequest_IsRefusedBeforeAnyWork()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => QuantizationStudy.Run(Zoo.Get("lenet-5").Model, data, new() { Samples = 0 }));
        Assert.Contains("Calibrate on at least one image", e.Message);
    }

    private sealed class Recorder(List<QuantizationProgress> list) : IProgress<QuantizationProgress>
    {
        public void Report(QuantizationProgress value) => list.Add(value);
    }
}
