using Talk.Kit.Tests.Export;
using Talk.Kit.Tests.Training.Qat;
using Talk.Kit.Training;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Tests.Training.Pruning;

[Collection(TorchCollection.Name)]
public sealed class MagnitudePruningTests
{
    [Fact]
    public void BySparsity_ZerosExactlyThatManyOfTheSmallestWeights()
    {
        using var net = NetworkCatalog.Create("lenet-300-100");
        var before = PrunableLayer.Find(PrunableLayer.Of(net), "fc2").ReadWeights();
        using var masks = MagnitudePruning.BySparsity(net, new Dictionary<string, double> { ["fc2"] = 0.9 });
        var after = PrunableLayer.Find(PrunableLayer.Of(net), "fc2").ReadWeights();

        Assert.Equal(27_000, after.Count(w => w == 0));
        float largestPruned = before.Where((_, i) => after[i] == 0).Max(Math.Abs);
        float smallestKept = after.Where(w => w != 0).Min(Math.Abs);
        Assert.True(largestPruned <= smallestKept);
        Assert.Equal(0.9, masks.Sparsity()["fc2"], 6);
        Assert.Equal(0, PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights().Count(w => w == 0)); // unnamed layers untouched
    }

    [Fact]
    public void ByQuality_PrunesBelowQualityTimesTheLayersStandardDeviation()
    {
        using var net = NetworkCatalog.Create("lenet-300-100");
        var before = PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights();
        double sigma = Math.Sqrt(before.Select(w => (double)w * w).Average() - Math.Pow(before.Average(w => (double)w), 2));
        using var masks = MagnitudePruning.ByQuality(net, 1.0, ["fc1"]);
        var keep = masks.Keep("fc1");
        Assert.All(Enumerable.Range(0, before.Length), i => Assert.Equal(Math.Abs(before[i]) > sigma, keep[i]));
        // Uniform init on ±a has σ = a/√3: |w| > σ keeps 1 − 1/√3 ≈ 42%.
        Assert.InRange(masks.Sparsity()["fc1"], 0.55, 0.60);
    }

    [Fact]
    public void Global_UsesOneThresholdAcrossLayers()
    {
        using var net = NetworkCatalog.Create("lenet-300-100");
        using var masks = MagnitudePruning.Global(net, 0.8);
        Assert.Equal(0.8, masks.TotalSparsity(), 3);
        var layers = PrunableLayer.Of(net).Select(l => l.ReadWeights()).ToList();
        float smallestKept = layers.SelectMany(w => w).Where(w => w != 0).Min(Math.Abs);
        Assert.True(smallestKept > 0);
        // fc1 (fan-in 784) has the smallest init range, so a global threshold prunes it hardest.
        var sparsity = masks.Sparsity();
        Assert.True(sparsity["fc1"] > sparsity["fc2"] && sparsity["fc2"] > sparsity["fc3"], string.Join(", ", sparsity));
    }

    [Fact]
    public void Masks_SurviveOptimizerSteps_WhenReappliedAfterEachStep()
    {
        using var net = NetworkCatalog.Create("lenet-300-100");
        using var masks = MagnitudePruning.BySparsity(net, new Dictionary<string, double> { ["fc1"] = 0.95, ["fc2"] = 0.9 });
        var before = PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights();
        int steps = 0;
        Trainer.Train(net, QatData.Subset.Train, new TrainingOptions(Epochs: 1, BatchSize: 64, TrainImages: 320), afterStep: _ => { steps++; masks.Apply(); });
        var after = PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights();

        Assert.Equal(5, steps);
        Assert.All(Enumerable.Range(0, before.Length).Where(i => before[i] == 0), i => Assert.Equal(0f, after[i]));
        Assert.Contains(Enumerable.Range(0, before.Length), i => before[i] != 0 && after[i] != before[i]); // the kept ones trained
    }

    [Fact]
    public void WithoutTheHook_AdamRevivesPrunedWeights()
    {
        // The reason for the mask: Adam's update of a zero weight with a non-zero gradient moves it.
        using var net = NetworkCatalog.Create("lenet-300-100");
        using var masks = MagnitudePruning.BySparsity(net, new Dictionary<string, double> { ["fc1"] = 0.95 });
        Trainer.Train(net, QatData.Subset.Train, new TrainingOptions(Epochs: 1, BatchSize: 64, TrainImages: 128));
        Assert.True(PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights().Count(w => w == 0) < 0.5 * 784 * 300);
    }

    [Fact]
    public void GradualPruning_ReachesTheTargets_ThroughRisingSteps_AndKeepsThem()
    {
        using var net = NetworkCatalog.Create("lenet-300-100");
        var targets = new Dictionary<string, double> { ["fc1"] = 0.9, ["fc2"] = 0.8 };
        var options = new PruningOptions(new TrainingOptions(Epochs: 1, BatchSize: 64, TrainImages: 640), AgpSteps: 4, AgpEnd: 0.8);
        var progress = new List<TrainingProgress>();
        var (masks, result) = PrunedFineTuning.Run(net, targets, QatData.Subset.Train, options, new SyncProgress<TrainingProgress>(progress.Add));
        using (masks)
        {
            Assert.Equal(0.9, result.Sparsity["fc1"], 3);
            Assert.Equal(0.8, result.Sparsity["fc2"], 3);
            Assert.Equal([0, 2, 4, 6, 8], result.Events.Select(e => e.Step)); // 10 steps, Δt = 10·0.8/4 = 2
            var fc1 = result.Events.Select(e => e.Sparsity["fc1"]).ToList();
            Assert.True(fc1.Zip(fc1.Skip(1)).All(p => p.Second > p.First), string.Join(", ", fc1));
            Assert.True(fc1[1] - fc1[0] > fc1[^1] - fc1[^2]); // the cubic: big steps first
            Assert.Equal(0.9, PrunableLayer.Find(PrunableLayer.Of(net), "fc1").ReadWeights().Count(w => w == 0) / 235_200.0, 3);
            Assert.NotEmpty(progress);
        }
    }

    [Fact]
    public void Cancellation_StopsFineTuning()
    {
        using var net = NetworkCatalog.Create("lenet-300-100");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => PrunedFineTuning.Run(net, new Dictionary<string, double> { ["fc1"] = 0.5 },
            QatData.Subset.Train, cancellationToken: cancelled.Token));
    }
}

/// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, so a test could miss reports).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
