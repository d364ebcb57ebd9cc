using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Tests.Runtime;

public class LatencyStatsTests
{
    [Fact]
    public void Percentiles_InterpolateBetweenClosestRanks_LikeNumpy()
    {
        // numpy.percentile([1..10], [10, 50, 90, 99]) = 1.9, 5.5, 9.1, 9.91
        var stats = LatencyStats.From([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        Assert.Equal(1.9, stats.P10, 9);
        Assert.Equal(5.5, stats.Median, 9);
        Assert.Equal(9.1, stats.P90, 9);
        Assert.Equal(9.91, stats.P99, 9);
        Assert.Equal(1, stats.Min);
        Assert.Equal(10, stats.Max);
        Assert.Equal(5.5, stats.Mean, 9);
    }

    [Fact]
    public void RawSamples_AreKeptInTheOrderMeasured()
    {
        var stats = LatencyStats.From([3, 1, 2]);
        Assert.Equal([3.0, 1.0, 2.0], stats.Samples);
        Assert.Equal(2, stats.Median);
        Assert.Equal((2.8 - 1.2) / 2, stats.RelativeSpread, 9);
    }

    [Fact]
    public void NoSamples_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => LatencyStats.From([]));
        Assert.StartsWith("No samples: run at least one measured iteration", error.Message);
    }
}
