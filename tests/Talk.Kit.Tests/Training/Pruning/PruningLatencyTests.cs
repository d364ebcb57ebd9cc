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
    public void RemovingChannels_IsFaster_WhileTheSameNumberOfScatteredZerosIsNot()
    {
        // Half the filters of every vgg-bn conv: ~¼ of the MACs. Untrained weights: latency does not depend on values.
        using var net = NetworkCatalog.Create("vgg-bn");
        var keep = Enumerable.Range(1, 6).ToDictionary(i => $"features.conv{i}", i => new[] { 16, 16, 32, 32, 64, 64 }[i - 1]);
        var report = PruningLatency.Compare(net, "vgg-bn", keep, [1, 28, 28], batch: 1,
            new BenchmarkOptions(WarmupRuns: 5, Runs: 25, MinSampleMilliseconds: 5));
        output.WriteLine(report.ToString());

        Assert.True(report.StructuredParameters < report.DenseParameters / 3);
        Assert.True(report.StructuredRatio < 0.7, report.ToString());
        Assert.True(report.UnstructuredRatio > 0.8, report.ToString());
    }
}
