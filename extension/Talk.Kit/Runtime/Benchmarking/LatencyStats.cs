namespace Talk.Kit.Runtime.Benchmarking;

/// <summary>Order statistics of a set of latency samples, in milliseconds. The raw samples are kept.</summary>
public sealed record LatencyStats(double Median, double P10, double P90, double P99, double Min, double Max, double Mean, IReadOnlyList<double> Samples)
{
    /// <summary>Relative spread (P90 − P10) / median: the number to quote beside a median on a noisy machine.</summary>
    public double RelativeSpread => Median > 0 ? (P90 - P10) / Median : 0;

    /// <summary>Computes the statistics; percentiles interpolate linearly between closest ranks (Hyndman–Fan type 7, as numpy's default).</summary>
    public static LatencyStats From(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
            throw new ArgumentException("No samples: run at least one measured iteration (e.g. --runs 10).", nameof(samples));
        var sorted = samples.Order().ToArray();
        return new LatencyStats(
            Median: Percentile(sorted, 50), P10: Percentile(sorted, 10), P90: Percentile(sorted, 90), P99: Percentile(sorted, 99),
            Min: sorted[0], Max: sorted[^1], Mean: sorted.Average(), Samples: samples.ToArray());
    }

    /// <summary>The p-th percentile (0–100) of already sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        if (p is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(p), p, "A percentile lies between 0 and 100.");
        double rank = p / 100 * (sorted.Count - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
