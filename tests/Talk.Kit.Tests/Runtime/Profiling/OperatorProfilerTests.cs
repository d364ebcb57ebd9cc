using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Runtime.Profiling;
using Talk.Kit.Tests.Models;

namespace Talk.Kit.Tests.Runtime.Profiling;

public sealed class OperatorProfilerTests : IDisposable
{
    private static readonly Model smallCnn = ProfilingNets.SmallCnn();
    private readonly string tempRoot = Directory.CreateTempSubdirectory("talk-kit-profiler-test-").FullName;

    public void Dispose() => Directory.Delete(tempRoot, recursive: true);

    private OperatorProfile Profile(Model model, int batch = 1, int runs = 5, int warmup = 2,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL, IProgress<BenchmarkProgress>? progress = null, CancellationToken ct = default) =>
        OperatorProfiler.Profile(model, batch, threads: 1, runs, warmup, level, progress, ct, tempRoot);

    [Fact]
    public void WithoutOptimization_EveryModelNodeAppears_UnderItsOwnName()
    {
        var p = Profile(smallCnn, level: GraphOptimizationLevel.ORT_DISABLE_ALL);

        Assert.Equal(["conv", "fc", "flatten", "pool", "relu"], p.Nodes.Select(n => n.Name).Order());
        Assert.Equal(["Conv", "Flatten", "Gemm", "MaxPool", "Relu"], p.OpTypes.Select(o => o.OpType).Order());
        Assert.All(p.Nodes, n => Assert.Equal(5, n.Runs));
        Assert.All(p.Nodes, n => Assert.Equal("CPUExecutionProvider", n.Provider));
    }

    [Fact]
    public void AtEnableAll_FusedNodesKeepOrtsNames_AndEveryModelNodeOrItsFusionAppears()
    {
        var p = Profile(smallCnn, batch: 2);

        var names = p.Nodes.Select(n => n.Name).ToHashSet();
        Assert.Subset(names, new HashSet<string> { "pool", "flatten", "fc" });
        // conv and relu ran as one NCHWc Conv: the model's names are gone, the Conv is there.
        Assert.DoesNotContain("conv", names);
        Assert.DoesNotContain("relu", names);
        Assert.Contains(p.Nodes, n => n.OpType == "Conv");
        Assert.Equal(("small-cnn", 2, 1, GraphOptimizationLevel.ORT_ENABLE_ALL, 5), (p.ModelName, p.Batch, p.Threads, p.Level, p.Runs));
    }

    [Fact]
    public void Shares_SumToOne_AndRowsAreSlowestFirst()
    {
        var p = Profile(smallCnn);

        Assert.Equal(1, p.Nodes.Sum(n => n.Share), 1e-9);
        Assert.Equal(1, p.OpTypes.Sum(o => o.Share), 1e-9);
        Assert.Equal(p.Nodes.Select(n => n.MedianMicroseconds).OrderDescending(), p.Nodes.Select(n => n.MedianMicroseconds));
        Assert.Equal(p.OpTypes.Select(o => o.MedianMicroseconds).OrderDescending(), p.OpTypes.Select(o => o.MedianMicroseconds));
        Assert.All(p.Nodes, n => Assert.InRange(n.MedianMicroseconds, n.P10Microseconds, n.P90Microseconds));
        Assert.InRange(p.NodeSumMedianMicroseconds, 0, p.RunMedianMicroseconds); // kernels run inside model_run
    }

    [Fact]
    public void Timeline_IsOrdered_AndLiesWithinItsRun()
    {
        var p = Profile(smallCnn);

        Assert.Equal(p.Nodes.Count, p.Timeline.Count);
        Assert.Equal(p.Timeline.Select(e => e.StartMicroseconds).Order(), p.Timeline.Select(e => e.StartMicroseconds));
        Assert.All(p.Timeline, e =>
        {
            Assert.True(e.StartMicroseconds >= 0, $"{e.Node} starts before its run");
            Assert.True(e.StartMicroseconds + e.DurationMicroseconds <= p.TimelineRunMicroseconds, $"{e.Node} ends after its run");
        });
    }

    [Fact]
    public void ProgressCountsWarmupAndProfiledRuns_AndNoTemporaryFileIsLeft()
    {
        var reports = new List<BenchmarkProgress>();
        Profile(smallCnn, runs: 3, warmup: 2, progress: new SynchronousProgress(reports.Add));

        Assert.Equal([new BenchmarkProgress("warm-up", 1, 2), new("warm-up", 2, 2), new("profile", 1, 3), new("profile", 2, 3), new("profile", 3, 3)], reports);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tempRoot));
    }

    [Fact]
    public void Cancelled_Throws_AndLeavesNoTemporaryFile()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => Profile(smallCnn, ct: cts.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tempRoot));
    }

    [Fact]
    public void FixedBatchOneModel_AtBatchFour_SaysItTakesBatchOneOnly()
    {
        var residual = Model.FromBytes(TestNets.FixedBatchResidual(), "residual");

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Profile(residual, batch: 4));

        Assert.Equal("batch", e.ParamName);
        Assert.Contains("Model 'residual' takes batch 1 only", e.Message);
        Assert.Contains("--batch 1", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tempRoot));
    }

    [Fact]
    public void FixedBatchOneModel_AtBatchOne_Profiles()
    {
        var p = Profile(Model.FromBytes(TestNets.FixedBatchResidual(), "residual"), runs: 2, warmup: 1);

        Assert.Equal(2, p.Runs);
        Assert.NotEmpty(p.Nodes);
    }

    [Theory]
    [InlineData(0, 1, 5, 1, "batch", "--batch 1")]
    [InlineData(1, 0, 5, 1, "threads", "--threads 2")]
    [InlineData(1, -1, 5, 1, "threads", "--threads 2")]
    [InlineData(1, 1, 0, 1, "runs", "--runs 20")]
    [InlineData(1, 1, 5, -1, "warmup", "--warmup 3")]
    public void BadSettings_SayWhatToTypeInstead(int batch, int threads, int runs, int warmup, string parameter, string hint)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OperatorProfiler.Profile(smallCnn, batch, threads, runs, warmup));

        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(hint, e.Message);
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> posts to the thread pool, too late for an assert).</summary>
    private sealed class SynchronousProgress(Action<BenchmarkProgress> report) : IProgress<BenchmarkProgress>
    {
        public void Report(BenchmarkProgress value) => report(value);
    }
}
