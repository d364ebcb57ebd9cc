using Talk.Kit.Data;
using Talk.Kit.Tests.Export;
using Talk.Kit.Tests.Training.Qat;
using Talk.Kit.Training;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Tests.Training.Pruning;

/// <summary>PruningStudy (what #!prune runs) with per-layer targets, on a LeNet-5 trained briefly on the shipped subset.</summary>
[Collection(TorchCollection.Name)]
public sealed class PruningStudyTests : IDisposable
{
    private readonly string cacheRoot = Directory.CreateTempSubdirectory("talkkit-pruningstudy-").FullName;
    private static readonly FashionMnistData data = QatData.Subset with { Test = QatData.Subset.Test.Take(300) };

    private ZooModel TrainLeNet() => Zoo.GetTrained(Zoo.Entry("lenet-5"),
        new TrainingOptions(Epochs: 1, BatchSize: 64, LearningRate: 2e-3, TrainImages: 1000), data, new TrainedModelCache(cacheRoot));

    private static PruneReport Run(ZooModel zoo, PruneTargets targets, bool structured = false) =>
        PruningStudy.Run("lenet", "lenet-pruned", zoo, new PruneRequest(targets, structured, FineTuneEpochs: 1, TrainImages: 500, Images: 300, Runs: 3, Batch: 8),
            data, new Progress<TrainingProgress>(), _ => { }, CancellationToken.None);

    [Fact]
    public void PerLayerTargets_AreReachedExactly_AndTheLayersNotListedStayDense()
    {
        var targets = new Dictionary<string, double> { ["features.conv2"] = 0.8, ["classifier.fc1"] = 0.95, ["classifier.fc3"] = 0.5 };
        var report = Run(TrainLeNet(), new PruneTargets.PerLayer(targets));

        Assert.Equal(["features.conv1", "features.conv2", "classifier.fc1", "classifier.fc2", "classifier.fc3"], report.Layers.Select(l => l.Name));
        foreach (var layer in report.Layers)
        {
            if (targets.TryGetValue(layer.Name, out double t))
            {
                Assert.Equal(t, layer.Target);
                Assert.Equal((long)Math.Round(t * layer.Weights), layer.Zeros); // exactly round(s·n) weights, after fine-tuning too
            }
            else
            {
                Assert.Null(layer.Target);
                Assert.Equal(0, layer.Zeros);
            }
        }
        Assert.Equal(report.Layers.Sum(l => l.Zeros) / (double)report.Layers.Sum(l => l.Weights), report.TotalSparsity, 12);
        Assert.StartsWith("features.conv2=80%,classifier.fc1=95%", report.Targets);
        Assert.Contains("layers not listed stay dense", report.Method);
    }

    [Fact]
    public void UnknownLayers_FailInOneMessage_ThatListsTheValidNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Run(TrainLeNet(), new PruneTargets.PerLayer(new Dictionary<string, double> { ["conv1"] = 0.5, ["fc9"] = 0.5 })));
        Assert.StartsWith("'lenet' has no layer 'conv1', 'fc9'. Its conv and linear layers are features.conv1, features.conv2, classifier.fc1, classifier.fc2, classifier.fc3.", ex.Message);
    }

    [Fact]
    public void Structured_PerConvTargets_RemoveFiltersOnlyFromTheListedConvs()
    {
        var report = Run(TrainLeNet(), new PruneTargets.PerLayer(new Dictionary<string, double> { ["features.conv2"] = 0.5 }), structured: true);
        Assert.Equal(new ChannelCount(6, 6), report.Channels["features.conv1"]);
        Assert.Equal(new ChannelCount(16, 8), report.Channels["features.conv2"]);
        Assert.True(report.After.Parameters < report.Before.Parameters);
        var linear = Assert.Throws<ArgumentException>(() => Run(TrainLeNet(), new PruneTargets.PerLayer(new Dictionary<string, double> { ["classifier.fc1"] = 0.5 }), structured: true));
        Assert.Contains("'classifier.fc1' is not a conv", linear.Message);
    }

    [Fact]
    public void AccuracyBudget_TakesEachLayersTargetFromItsSensitivityCurve_AndReachesIt()
    {
        var report = Run(TrainLeNet(), new PruneTargets.WithinAccuracyDrop(0.02, Images: 300));
        var curves = Assert.IsType<SensitivityReport>(report.Sensitivity);
        Assert.Equal(report.Layers.Select(l => l.Name), curves.Layers.Select(c => c.Layer));
        foreach (var (layer, curve) in report.Layers.Zip(curves.Layers))
        {
            Assert.Equal(curve.MaxSparsityWithin(curves.DenseAccuracy, 0.02), layer.Target);
            Assert.Equal((long)Math.Round(layer.Target!.Value * layer.Weights), layer.Zeros);
        }
        Assert.Contains("within 2% of dense accuracy", report.Method);
    }

    public void Dispose() => Directory.Delete(cacheRoot, recursive: true);
}
