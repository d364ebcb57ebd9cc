using Talk.Kit.Data;
using Talk.Kit.Tests.Export;
using Talk.Kit.Tests.Training.Qat;
using Talk.Kit.Training;
using Talk.Kit.Training.Pruning;
using Xunit.Abstractions;

namespace Talk.Kit.Tests.Training.Pruning;

/// <summary>
/// Short real runs on the shipped subset: a LeNet-300-100 trained briefly into a temporary cache, then analysed and
/// compressed with a tiny schedule. The full-data numbers are in the pruning branch's report, not asserted here.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PruningRunTests(ITestOutputHelper output) : IDisposable
{
    private readonly string cacheRoot = Directory.CreateTempSubdirectory("talkkit-pruning-").FullName;
    private static readonly LabelledImages held = QatData.Subset.Test.Take(500);

    private ZooModel TrainMlp() => Zoo.GetTrained(Zoo.Entry("lenet-300-100"),
        new TrainingOptions(Epochs: 2, BatchSize: 64, LearningRate: 1e-3, TrainImages: 3000), QatData.Subset, new TrainedModelCache(cacheRoot));

    [Fact]
    public void Sensitivity_GivesOneCurvePerLayer_StartingAtTheDenseAccuracy()
    {
        var trained = TrainMlp();
        using var net = Zoo.LoadNetwork(trained);
        var before = PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights();
        var report = PruningSensitivity.Analyze(net, "lenet-300-100", held, [0, 0.5, 0.99]);
        output.WriteLine(string.Join("\n", report.Layers.Select(l => $"{l.Layer}: " + string.Join(", ", l.Points.Select(p => $"{p.Sparsity:P0} {p.Accuracy:P1}")))));

        Assert.Equal(["fc1", "fc2", "fc3"], report.Layers.Select(l => l.Layer));
        Assert.All(report.Layers, l => Assert.Equal(report.DenseAccuracy, l.Points[0].Accuracy));
        Assert.All(report.Layers, l => Assert.True(l.Points[2].Accuracy < report.DenseAccuracy - 0.05, $"{l.Layer} at 99% should hurt"));
        Assert.Equal(before, PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights()); // restored
        Assert.Equal(0.5, report.Layers[0].MaxSparsityWithin(report.DenseAccuracy, 0.05));
    }

    [Fact]
    public void DeepCompressionRun_GoesThroughEveryStage_AndTheFileDecodesToTheSharedModel()
    {
        var trained = TrainMlp();
        var quick = new TrainingOptions(Epochs: 1, BatchSize: 64, LearningRate: 1e-3, TrainImages: 1280);
        var options = DeepCompressionRunOptions.LeNet300100 with
        {
            Pruning = new PruningOptions(quick, AgpSteps: 4),
            Sharing = quick with { LearningRate = 1e-4, TrainImages = 640 },
        };
        var stages = new List<string>();
        var run = DeepCompressionRun.Run(trained, QatData.Subset with { Test = held }, options, new SyncProgress<DeepCompressionProgress>(p => stages.Add(p.Stage)));
        output.WriteLine(run.ToString());

        Assert.Equal(["dense", "prune", "share", "encode", "decode"], stages.Distinct());
        Assert.Equal(0.92, run.Pruning.Sparsity["fc1"], 3);
        Assert.Equal(0.74, run.Pruning.Sparsity["fc3"], 3);
        Assert.Equal(new Dictionary<string, int> { ["fc1"] = 4, ["fc2"] = 4, ["fc3"] = 5 }, run.Bits); // the recipe's bits
        Assert.Equal(run.Report.FileBytes, run.Stages[^1].Bytes);
        Assert.True(run.CompressionRatio > 25, run.ToString());
        Assert.InRange(run.PrunedAccuracy, run.DenseAccuracy - 0.10, 1);
        Assert.InRange(run.DecodedAccuracy, run.SharedAccuracy - 0.01, run.SharedAccuracy + 0.01); // the file holds the shared model
        Assert.Equal(["prune", "share"], run.Shared.Lineage.Steps.TakeLast(2).Select(s => s.Pass));
    }

    public void Dispose() => Directory.Delete(cacheRoot, recursive: true);
}
