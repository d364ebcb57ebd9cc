using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Calibration;
using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Tests.Data;
using Talk.Kit.Tests.Export;
using Talk.Kit.Tests.Models;
using Talk.Kit.Training;

namespace Talk.Kit.Tests.Compression.Quantization.Calibration;

/// <summary>Calibration of LeNet-5 convolution graphs on real Fashion-MNIST training images.</summary>
public sealed class LeNetCalibrationTests
{
    [Fact]
    public void MinMax_OnRealImages_AgreesWithWhatOnnxRuntimeComputes()
    {
        var model = Model.FromBytes(TestNets.LeNet5(), "lenet5");
        var options = new CalibrationOptions(Samples: 256, BatchSize: 64, Threads: 1);
        var set = CalibrationSet.FromTraining(FullSet.Subset, 256);

        var ranges = Calibrator.Calibrate(model, FullSet.Subset, options);

        Assert.Equal(256, ranges.Samples);
        Assert.Equal(1 + model.Nodes().Sum(n => n.Outputs.Count), ranges.Ranges.Count); // the input and every node output
        // The input: normalized pixels, so [Normalize(darkest), Normalize(brightest)] of the very images chosen.
        Assert.Equal(new TensorRange(Normalization.Normalize(set.Pixels.Min()), Normalization.Normalize(set.Pixels.Max())), ranges["x"]);
        // The graph output: the extremes of the logits ONNX Runtime gives on the same images.
        // Same batches and optimization level as calibration, so the very same kernels run: equal to the bit.
        using var runner = new ModelRunner(model, threads: 1, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_DISABLE_ALL);
        var logits = Enumerable.Range(0, 4).SelectMany(b => runner.Run(set.ToTensorData(64 * b, 64), [64, 1, 28, 28]).Output).ToArray();
        Assert.Equal(new TensorRange(logits.Min(), logits.Max()), ranges["fc3.y"]);
        foreach (string relu in new[] { "r1", "r2", "p1", "p2" })
            Assert.Equal(0f, ranges[relu].Min); // ReLU (and max-pooling of it) is never negative, and some values are 0
    }

    [Fact]
    public void EntropyAndPercentile_ClipSomeTensors_AndNeverWidenMinMax()
    {
        var model = Model.FromBytes(TestNets.LeNet5(), "lenet5");
        var set = CalibrationSet.FromTraining(FullSet.Subset, 256);
        var stats = Calibrator.Collect(model, set, new CalibrationOptions(Threads: 1));

        var minMax = stats.ToRanges(new CalibrationOptions(CalibrationMethod.MinMax));
        var percentile = stats.ToRanges(new CalibrationOptions(CalibrationMethod.Percentile));
        var entropy = stats.ToRanges(new CalibrationOptions(CalibrationMethod.Entropy));

        foreach (var (name, full) in minMax.Ranges)
        {
            Assert.InRange(percentile[name].Max, full.Min, full.Max);
            Assert.InRange(entropy[name].Max, full.Min, full.Max);
            Assert.InRange(entropy[name].Min, full.Min, full.Max);
        }
        Assert.Contains(minMax.Ranges, r => entropy[r.Key].AbsMax < 0.9f * r.Value.AbsMax); // some long tail was cut
    }
}

/// <summary>Calibration of a LeNet-5 really trained here (cheaply: 2,000 images, 1 epoch, a temporary cache).</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainedLeNetCalibrationTests : IDisposable
{
    private readonly string cacheRoot = Directory.CreateTempSubdirectory("talkkit-calib-").FullName;

    [Fact]
    public void TrainedLeNet_RangesAreOrdered_AndEntropyClipsTheLongTails()
    {
        var trained = Zoo.GetTrained(Zoo.Entry("lenet-5"), new TrainingOptions(Epochs: 1, BatchSize: 64, TrainImages: 2000), FullSet.Subset,
            new TrainedModelCache(cacheRoot));
        var set = CalibrationSet.FromTraining(FullSet.Subset, 512);

        var stats = Calibrator.Collect(trained.Model, set, new CalibrationOptions(Threads: 1));
        var minMax = stats.ToRanges(new CalibrationOptions(CalibrationMethod.MinMax));
        var entropy = stats.ToRanges(new CalibrationOptions(CalibrationMethod.Entropy));
        var p9999 = stats.ToRanges(new CalibrationOptions(CalibrationMethod.Percentile, Percentile: 99.99));
        var p99 = stats.ToRanges(new CalibrationOptions(CalibrationMethod.Percentile, Percentile: 99));

        Assert.Equal(512, stats.Samples);
        Assert.True(minMax.Ranges.Count >= 10, $"{minMax.Ranges.Count} tensors observed");
        foreach (var (name, full) in minMax.Ranges)
        {
            Assert.InRange(p99[name].AbsMax, 0f, p9999[name].AbsMax);     // a lower percentile never clips less
            Assert.InRange(p9999[name].AbsMax, 0f, full.AbsMax);
            Assert.InRange(entropy[name].AbsMax, 0f, full.AbsMax);
        }
        Assert.Contains(minMax.Ranges, r => entropy[r.Key].AbsMax < 0.9f * r.Value.AbsMax);
    }

    public void Dispose() => Directory.Delete(cacheRoot, recursive: true);
}
