using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Data;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training;
using Talk.Kit.Training.Qat;

namespace Talk.Kit.Tests.Training.Qat;

/// <summary>QAT end to end: fake-quantized fine-tuning, Q/DQ placed with the trained ranges, judged by ONNX Runtime.</summary>
[Collection(TorchCollection.Name)]
public sealed class QatStudyTests : IDisposable
{
    private readonly string cacheRoot = Directory.CreateTempSubdirectory("talkkit-qatstudy-").FullName;

    [Fact]
    public void QatAt4Bits_RunsInt8KernelsInOnnxRuntime_WithTheAccuracyTorchSharpSimulated()
    {
        var data = QatData.Subset with { Test = QatData.Subset.Test.Take(500) };
        var trained = Zoo.GetTrained(Zoo.Entry("lenet-5"), new TrainingOptions(Epochs: 1, BatchSize: 64, LearningRate: 2e-3, TrainImages: 2000), data,
            new TrainedModelCache(cacheRoot));
        var options = new QatOptions(WeightBits: 4, Epochs: 1, TrainImages: 1280, CalibrationImages: 500);
        var request = new QuantizationRequest { Batches = [1], Runs = 3, Threads = 1, EvaluationImages = 500 };

        var (study, qat) = QatStudy.Run(trained, new QuantizationData(data.Train, data.Test), options, request);

        Assert.Equal(2, study.Kernels.Count("QLinearConv"));
        Assert.False(study.Kernels.HasFloatConvOrGemm, study.Kernels.ToString());
        Assert.Equal(7, study.Histogram!.Params.Type.QMax);                            // 4-bit codes −8…7
        Assert.StartsWith("QAT: 1 epoch(s)", study.Method);
        Assert.Contains("qat", study.Quantized.Lineage.ToString());
        // ONNX Runtime's int8 kernels and TorchSharp's fake quantization compute the same network: their accuracies agree.
        double simulated = qat.SimulatedAccuracy!.Value;
        Assert.InRange(study.Quality.QuantizedAccuracy!.Accuracy, simulated - 0.02, simulated + 0.02);
    }

    public void Dispose() => Directory.Delete(cacheRoot, recursive: true);
}
