namespace Talk.Kit.Runtime.Benchmarking;

/// <summary>The measurement of one variant.</summary>
/// <param name="Name">Variant name.</param>
/// <param name="Latency">Per-run latency statistics (ms) with the raw samples.</param>
/// <param name="RatioToBaseline">Per-round latency / the baseline's latency in the same round (1 for the baseline itself).</param>
/// <param name="OperationsPerRun">As given by the variant.</param>
public sealed record VariantResult(string Name, LatencyStats Latency, LatencyStats RatioToBaseline, double? OperationsPerRun)
{
    /// <summary>Throughput at the median latency, in 10⁹ operations per second; null without an operation count.</summary>
    public double? GigaOpsPerSecond => OperationsPerRun is { } ops ? ops / (Latency.Median * 1e-3) / 1e9 : null;

    /// <summary>Speedup of this variant over the baseline: median of per-round baseline/this ratios.</summary>
    public double SpeedupOverBaseline => 1 / RatioToBaseline.Median;
}

/// <summary>An interleaved comparison: the first variant is the baseline of the ratios.</summary>
/// <param name="Variants">Results in the order given.</param>
/// <param name="Rounds">Measured rounds completed.</param>
/// <param name="Options">How it was measured.</param>
/// <param name="Cancelled">True when stopped early by cancellation (results cover the rounds completed).</param>
public sealed record BenchmarkResult(IReadOnlyList<VariantResult> Variants, int Rounds, BenchmarkOptions Options, bool Cancelled)
{
    /// <summary>The result of a variant by name.</summary>
    public VariantResult this[string name] => Variants.FirstOrDefault(v => v.Name == name)
        ?? throw new KeyNotFoundException($"No variant named '{name}'; there are: {string.Join(", ", Variants.Select(v => v.Name))}.");
}

/// <summary>Progress of a running benchmark.</summary>
public sealed record BenchmarkProgress(string Phase, int Completed, int Total);
