using Talk.Kit.Runtime.Probes;

namespace Talk.Kit.Tests.Runtime;

public class MatMulThroughputTests
{
    [Fact]
    public void Measure_ReportsBothPrecisionsPerSize_WithPlausibleThroughput()
    {
        var report = MatMulThroughput.Measure(new MatMulThroughputOptions(Sizes: [32, 64], Runs: 3, Threads: 1));
        Assert.Equal([32, 64], report.Points.Select(p => p.Size));
        Assert.All(report.Points, p =>
        {
            Assert.InRange(p.Fp32GigaOpsPerSecond, 0.01, 10_000); // 2·n³ ops over a positive latency
            Assert.InRange(p.Int8GigaOpsPerSecond, 0.01, 10_000);
            Assert.Equal(3, p.Fp32.Latency.Samples.Count);
            Assert.Equal(p.Fp32.Latency.Median / p.Int8.Latency.Median, p.Int8Speedup, 0.5 * p.Int8Speedup + 1);
        });
        Assert.Equal(1, report.Threads);
        Assert.Contains("interleaved", report.Method);
    }

    [Theory]
    [InlineData(new int[0], 5, "Matrix sizes must be between 1 and 8192")]
    [InlineData(new[] { 0 }, 5, "Matrix sizes must be between 1 and 8192")]
    [InlineData(new[] { 64 }, 0, "Runs must be at least 1")]
    public void BadOptions_AreClearErrors(int[] sizes, int runs, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MatMulThroughput.Measure(new MatMulThroughputOptions(Sizes: sizes, Runs: runs)));
        Assert.Contains(message, error.Message);
    }
}
