using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Tests.Runtime;

public class BenchmarkTests
{
    [Fact]
    public void Variants_RunInterleaved_WithTheStartingVariantRotatingEachRound()
    {
        var order = new List<string>();
        var variants = new[] { "A", "B", "C" }.Select(n => new BenchmarkVariant(n, () => order.Add(n))).ToList();

        var result = Benchmark.Run(variants, new BenchmarkOptions(WarmupRuns: 1, Runs: 3));

        // warm-up A B C, then rounds A B C | B C A | C A B
        Assert.Equal("ABC" + "ABC" + "BCA" + "CAB", string.Concat(order));
        Assert.Equal(3, result.Rounds);
        Assert.All(result.Variants, v => Assert.Equal(3, v.Latency.Samples.Count));
    }

    [Fact]
    public void Ratios_ComparEachRoundAgainstTheBaseline()
    {
        // B does about three times A's work per run.
        var variants = new[]
        {
            new BenchmarkVariant("A", () => Spin(TimeSpan.FromMilliseconds(2))),
            new BenchmarkVariant("B", () => Spin(TimeSpan.FromMilliseconds(6))),
        };
        var result = Benchmark.Run(variants, new BenchmarkOptions(WarmupRuns: 1, Runs: 7));

        Assert.Equal(1.0, result["A"].RatioToBaseline.Median, 9);
        Assert.InRange(result["B"].RatioToBaseline.Median, 2.0, 4.0);
        Assert.InRange(result["B"].SpeedupOverBaseline, 0.25, 0.5);
        Assert.InRange(result["A"].Latency.Median, 1.9, 20);
    }

    [Fact]
    public void MinSampleTime_RepeatsFastRuns_AndReportsTimePerRun()
    {
        int calls = 0;
        var result = Benchmark.Run([new BenchmarkVariant("fast", () => { calls++; Spin(TimeSpan.FromMilliseconds(0.2)); })],
            new BenchmarkOptions(WarmupRuns: 2, Runs: 3, MinSampleMilliseconds: 2));

        Assert.True(calls >= 2 + 3 * 5, $"expected several runs per sample, got {calls} calls in all");
        Assert.InRange(result["fast"].Latency.Median, 0.19, 1.0); // per run, not per sample
    }

    [Fact]
    public void Throughput_IsOperationsOverMedianLatency()
    {
        var stats = LatencyStats.From([2.0]);
        var v = new VariantResult("gemm", stats, LatencyStats.From([1.0]), OperationsPerRun: 2e9);
        Assert.Equal(1000, v.GigaOpsPerSecond!.Value, 9); // 2e9 ops in 2 ms = 1e12 op/s
    }

    [Fact]
    public void Cancellation_AfterSomeRounds_ReturnsWhatWasMeasured()
    {
        using var cts = new CancellationTokenSource();
        int runs = 0;
        var result = Benchmark.Run([new BenchmarkVariant("A", () => { if (++runs == 3) cts.Cancel(); })],
            new BenchmarkOptions(WarmupRuns: 0, Runs: 100), cancellationToken: cts.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(3, result.Rounds);
    }

    [Theory]
    [InlineData(-1, 10, "Warm-up runs cannot be negative")]
    [InlineData(0, 0, "Runs must be at least 1")]
    public void BadOptions_AreClearErrors(int warmup, int runs, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Benchmark.Run([new BenchmarkVariant("A", () => { })], new BenchmarkOptions(warmup, runs)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void DuplicateOrMissingVariants_AreClearErrors()
    {
        Assert.Contains("unique", Assert.Throws<ArgumentException>(() => Benchmark.Run([new("A", () => { }), new("A", () => { })])).Message);
        Assert.Contains("at least one variant", Assert.Throws<ArgumentException>(() => Benchmark.Run([])).Message);
    }

    private static void Spin(TimeSpan duration)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < duration) { }
    }
}
