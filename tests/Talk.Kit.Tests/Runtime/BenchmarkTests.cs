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
    public void Ratios_CompareEachRoundAgainstTheBaseline()
    {
        // On a manual clock B takes 6 ms per run and A 2 ms, except one slow round of A (a stall hits only A).
        var clock = new ManualClock();
        int aRuns = 0;
        var variants = new[]
        {
            new BenchmarkVariant("A", () => clock.Advance(++aRuns == 4 ? 20 : 2)),
            new BenchmarkVariant("B", () => clock.Advance(6)),
        };
        var result = Benchmark.Run(variants, new BenchmarkOptions(WarmupRuns: 1, Runs: 7), clock: clock);

        Assert.Equal(1.0, result["A"].RatioToBaseline.Median, 9);
        Assert.Equal(3.0, result["B"].RatioToBaseline.Median, 9);       // the median ignores the stalled round
        Assert.Equal(1.0 / 3, result["B"].SpeedupOverBaseline, 9);
        Assert.Equal(2.0, result["A"].Latency.Median, 9);
        Assert.Equal(20.0, result["A"].Latency.Max, 9);
        Assert.Equal(0.3, result["B"].RatioToBaseline.Min, 9);          // 6 / 20 in the stalled round
    }

    [Fact]
    public void MinSampleTime_RepeatsFastRuns_AndReportsTimePerRun()
    {
        var clock = new ManualClock();
        int calls = 0;
        var result = Benchmark.Run([new BenchmarkVariant("fast", () => { calls++; clock.Advance(0.2); })],
            new BenchmarkOptions(WarmupRuns: 2, Runs: 3, MinSampleMilliseconds: 2), clock: clock);

        Assert.Equal(2 + 3 * 10, calls);                                // 2 ms / 0.2 ms = 10 runs per sample
        Assert.Equal(0.2, result["fast"].Latency.Median, 9);            // per run, not per sample
    }

    [Fact]
    public void TimeBudget_StopsAfterTheMinimumRounds()
    {
        var clock = new ManualClock();
        var result = Benchmark.Run([new BenchmarkVariant("slow", () => clock.Advance(100))],
            new BenchmarkOptions(WarmupRuns: 0, Runs: 50, TimeBudget: TimeSpan.FromMilliseconds(250), MinRuns: 2), clock: clock);
        Assert.Equal(3, result.Rounds); // 100, 200, 300 ms: the budget is checked before each round
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

    /// <summary>A clock that moves only when told: timing logic tested without timing noise.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long ticks;
        public override long TimestampFrequency => 1_000_000; // µs
        public override long GetTimestamp() => ticks;
        public void Advance(double milliseconds) => ticks += (long)Math.Round(milliseconds * 1000);
    }
}
