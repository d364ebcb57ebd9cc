namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", GTC 2017, slides 29–37): the clipping
/// threshold for |x| whose 128-level quantization loses least information, measured as KL(P‖Q).
/// </summary>
/// <remarks>
/// For every candidate i = 128 … (bins holding data) of a histogram of |x| (2048 bins over [0, max]):
/// <list type="number">
/// <item>P, the reference: bins 0…i−1, with the mass of every bin ≥ i (the values that will saturate) added to bin i−1.</item>
/// <item>Q, the candidate: bins 0…i−1 (without the outliers) merged into 128 levels — bin k goes to level ⌊k·128/i⌋ —
/// and each level's count spread evenly back over its bins where P is non-zero (a bin empty in P stays empty in Q,
/// as MXNet's and ONNX Runtime's implementations do).</item>
/// <item>Both normalized; KL(P‖Q) = Σ p·ln(p/q) over p &gt; 0 (+∞ if some q = 0 there).</item>
/// </list>
/// The threshold is the upper edge of the last kept bin, i·width, for the i of least divergence (the slides write
/// (m + 0.5)·width; the kept bins end at i·width, which is what P describes). With 128 bins or fewer holding data,
/// nothing needs clipping and the threshold is the data's own extent.
/// </remarks>
public static class EntropyThreshold
{
    /// <summary>TensorRT's number of int8 levels of |x|: 128 (codes 0…127 on each side).</summary>
    public const int DefaultLevels = 128;

    /// <summary>The |x| threshold of least KL divergence; 0 for an empty histogram.</summary>
    public static double Of(AbsHistogram histogram, int levels = DefaultLevels)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.Total == 0 || histogram.Upper == 0)
            return 0;
        int bins = BestBinCount(histogram.Counts, levels);
        return bins * histogram.BinWidth;
    }

    /// <summary>The candidate bin count i of least KL(P‖Q) (the used bin count when all are infinite or there are too few).</summary>
    public static int BestBinCount(ReadOnlySpan<long> counts, int levels = DefaultLevels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
        int used = counts.Length;
        while (used > 0 && counts[used - 1] == 0) used--;
        if (used <= levels)
            return used;
        var p = new double[used];
        var q = new double[used];
        int best = used;
        double bestDivergence = double.PositiveInfinity;
        for (int i = levels; i <= used; i++)
        {
            double d = Divergence(counts, i, levels, p, q);
            if (d < bestDivergence)
                (best, bestDivergence) = (i, d);
        }
        return best;
    }

    /// <summary>KL(P‖Q) for keeping the first <paramref name="kept"/> bins (P and Q as in the remarks); p and q are scratch of at least kept.</summary>
    public static double Divergence(ReadOnlySpan<long> counts, int kept, int levels, Span<double> p, Span<double> q)
    {
        // P: kept bins, outliers folded into the last one.
        double outliers = 0;
        for (int k = kept; k < counts.Length; k++) outliers += counts[k];
        for (int k = 0; k < kept; k++) p[k] = counts[k];
        p[kept - 1] += outliers;

        // Q: merge bins into levels (bin k → level ⌊k·levels/kept⌋), then spread each level over its bins non-zero in P.
        int start = 0;
        for (int level = 0; level < levels; level++)
        {
            // First bin of the next level: the smallest k with ⌊k·levels/kept⌋ > level, i.e. ⌈(level+1)·kept/levels⌉.
            int end = (int)(((long)(level + 1) * kept + levels - 1) / levels);
            double sum = 0;
            int nonZero = 0;
            for (int k = start; k < end; k++)
            {
                sum += counts[k];
                if (p[k] > 0) nonZero++;
            }
            for (int k = start; k < end; k++)
                q[k] = p[k] > 0 ? sum / nonZero : 0;
            start = end;
        }

        double pTotal = 0, qTotal = 0;
        for (int k = 0; k < kept; k++) { pTotal += p[k]; qTotal += q[k]; }
        if (qTotal == 0) return double.PositiveInfinity;
        double divergence = 0;
        for (int k = 0; k < kept; k++)
        {
            if (p[k] == 0) continue;
            if (q[k] == 0) return double.PositiveInfinity; // P has mass where Q has none: infinitely surprising
            double pk = p[k] / pTotal, qk = q[k] / qTotal;
            divergence += pk * Math.Log(pk / qk);
        }
        return divergence;
    }
}
