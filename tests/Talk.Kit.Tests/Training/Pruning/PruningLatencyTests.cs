using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Pruning;
using Xunit.Abstractions;

namespace Talk.Kit.Tests.Training.Pruning;

[Collection(TorchCollection.Name)]
public sealed class PruningLatencyTests(ITestOutputHelper output)
{
    [Fact]
    public void Comparison_TimesDenseScatteredZerosAndRemovedChannels_OnTheSameNumberOfRemovedWeights()
    {
        // Half the filters of every vgg-bn conv: ~¼ of the MACs. Untrained weights: latency does not depend on values.
        // Which variant is faster is a benchmark (tests/Talk.Kit.Benchmarks -- prune-latency), not a unit test: here, the setup.
        using var net = NetworkCatalog.Create("vgg-bn");
        var keep = Enumerable.Range(1, 6).ToDictionary(i => $"features.conv{i}", i => new[] { 16, 16, 32, 32, 64, 64 }[i - 1]);
        var report = PruningLatency.Compare(net, "vgg-bn", keep, [1, 28, 28], batch: 1,
            new BenchmarkOptions(WarmupRuns: 1, Runs: 3));
        output.WriteLine(report.ToString());

        Assert.Equal(288_170, report.DenseParameters);
        Assert.True(report.StructuredParameters < report.DenseParameters / 3);
        long removed = report.DenseParameters - report.StructuredParameters;
        Assert.InRange(report.ZeroedWeights, removed * 0.95, removed);          // as many zeros, scattered, as weights removed (conv/linear weights only)
        Assert.Equal(3, report.Benchmark.Rounds);
        Assert.Equal(3, report.Benchmark.Variants.Count);
    }
}
