namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// The p-th percentile of |x| from a histogram: the threshold t with p% of the values at or below it.
/// </summary>
/// <remarks>
/// Semantics follow ONNX Runtime's calibrate.py (HistogramCollector, percentile method, symmetric): a histogram of
/// |x|, the cumulative distribution, and the bin where it reaches p/100; the range becomes [−t, t], clipped to the
/// observed [min, max] (see <see cref="RangeFromThreshold"/>). One difference: ONNX Runtime returns that bin's left
/// edge, which can fall a whole bin short; here the value is interpolated linearly inside the bin (values assumed
/// uniform within it), so a uniform sample's percentile comes out right to well under a bin width.
/// </remarks>
public static class PercentileThreshold
{
    /// <summary>t with <paramref name="percentile"/>% of the histogram's values having |x| ≤ t; 0 for an empty histogram.</summary>
    public static double Of(AbsHistogram histogram, double percentile)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (!(percentile > 0 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Percentile must be in (0, 100], e.g. 99.99.");
        if (histogram.Total == 0 || histogram.Upper == 0)
            return 0;
        var counts = histogram.Counts;
        double target = percentile / 100 * histogram.Total; // how many values must lie at or below t
        long before = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            long c = counts[k];
            if (c > 0 && before + c >= target)
                return (k + (target - before) / c) * histogram.BinWidth; // linear inside bin k
            before += c;
        }
        return histogram.Upper;
    }

    /// <summary>
    /// The range for a |x| threshold t: [max(min, −t), min(max, t)]. A signed tensor gets the symmetric [−t, t]
    /// (where it reached that far), a non-negative one (after ReLU) [min, t]: what the grid then covers.
    /// </summary>
    public static TensorRange RangeFromThreshold(TensorRange observed, double threshold)
    {
        float t = (float)threshold;
        return new TensorRange(Math.Max(observed.Min, -t), Math.Min(observed.Max, t));
    }
}
