namespace Talk.Kit.Runtime.Benchmarking;

/// <summary>How to measure.</summary>
/// <param name="WarmupRuns">Unmeasured runs of each variant first (JIT, allocator, caches, ORT's lazy kernels).</param>
/// <param name="Runs">Measured rounds; each round runs every variant once.</param>
/// <param name="TimeBudget">Optional cap on the measured phase; at least <see cref="MinRuns"/> rounds still run.</param>
/// <param name="MinRuns">Rounds that always run, even past the budget.</param>
/// <param name="MinSampleMilliseconds">When &gt; 0, each sample times as many back-to-back runs as fill this long
/// (fixed per variant after warm-up) and reports the mean per run: sub-millisecond kernels are otherwise
/// dominated by timer and thread wake-up noise. Leave 0 to see the distribution of single runs (p99 matters for latency).</param>
public sealed record BenchmarkOptions(int WarmupRuns = 3, int Runs = 30, TimeSpan? TimeBudget = null, int MinRuns = 5, double MinSampleMilliseconds = 0)
{
    /// <summary>Throws a readable error for nonsense values.</summary>
    public void Validate()
    {
        if (WarmupRuns < 0) throw new ArgumentOutOfRangeException(nameof(WarmupRuns), WarmupRuns, "Warm-up runs cannot be negative: use 0 or more.");
        if (Runs < 1) throw new ArgumentOutOfRangeException(nameof(Runs), Runs, "Runs must be at least 1, e.g. --runs 30.");
        if (MinRuns < 1) throw new ArgumentOutOfRangeException(nameof(MinRuns), MinRuns, "MinRuns must be at least 1.");
        if (MinSampleMilliseconds < 0) throw new ArgumentOutOfRangeException(nameof(MinSampleMilliseconds), MinSampleMilliseconds, "A minimum sample time cannot be negative.");
        if (TimeBudget is { } b && b <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeBudget), b, "A time budget must be positive, e.g. 5s.");
    }
}
