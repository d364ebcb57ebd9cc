namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// A histogram of |x| with a fixed number of equal bins over [0, <see cref="Upper"/>): bounded memory whatever the
/// number of values (8 bytes per bin, e.g. 16 KiB at 2048 bins, for a tensor of any size and any number of samples).
/// </summary>
/// <remarks>
/// Why this design. Percentile and Entropy need a histogram, but the range of |x| is unknown until every sample has
/// been seen. The alternatives: (1) a first pass for max|x| and a second pass to fill the histogram — exact bins,
/// but it runs the model twice and needs batches that can be enumerated twice; (2) ONNX Runtime's HistogramCollector,
/// which appends bins of the same width when a larger value arrives — exact, but the bin count (the memory) grows
/// without bound when the first batch has a small range. Here the first batch sets <see cref="Upper"/> = its max|x|
/// (so a single batch gets exactly TensorRT's histogram over [0, max]); when a later value exceeds it, the range
/// doubles and adjacent bins merge pairwise (new bin k = old bins 2k and 2k+1, whose edges line up exactly), so no
/// count is lost or moved to a wrong bin and the bin count stays fixed. The price: the data may end up using only
/// half the bins (between Bins/2 and Bins of them cover [0, max|x|]), i.e. at worst half TensorRT's resolution.
/// With real calibration batches (64 images each) the first batch's max is close to the final one and doubling is rare.
/// One more consequence: values equal to the range before a doubling (the first batch's maximum) sat in the closed
/// last bin, and after the merge stay one bin below where a fresh binning would put them: at most one bin width off.
/// </remarks>
public sealed class AbsHistogram
{
    private readonly long[] counts;

    /// <param name="bins">Number of bins; even, so that pairs merge exactly.</param>
    public AbsHistogram(int bins)
    {
        if (bins < 2 || bins % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "A histogram needs an even number of bins (at least 2), e.g. 2048.");
        counts = new long[bins];
    }

    /// <summary>Number of bins (fixed).</summary>
    public int Bins => counts.Length;

    /// <summary>Upper edge of the last bin; 0 while only zeros were seen (they all sit in bin 0).</summary>
    public double Upper { get; private set; }

    /// <summary>Width of one bin: Upper / Bins.</summary>
    public double BinWidth => Upper / Bins;

    /// <summary>Values added so far.</summary>
    public long Total { get; private set; }

    /// <summary>Times the range doubled (each one merged the bins pairwise).</summary>
    public int Doublings { get; private set; }

    /// <summary>Count of bin k, which holds |x| in [k·BinWidth, (k+1)·BinWidth) (the last bin also holds |x| = Upper).</summary>
    public ReadOnlySpan<long> Counts => counts;

    /// <summary>One past the last non-empty bin: the bins that hold data (0 when empty).</summary>
    public int UsedBins
    {
        get
        {
            int k = counts.Length;
            while (k > 0 && counts[k - 1] == 0) k--;
            return k;
        }
    }

    /// <summary>Adds finite values (the caller has checked for NaN and ∞); <paramref name="absMax"/> is max|x| of them.</summary>
    public void Add(ReadOnlySpan<float> values, float absMax)
    {
        if (values.IsEmpty) return;
        if (Upper == 0 && absMax > 0)
            Upper = absMax;                    // first non-zero data sets the range; earlier zeros stay in bin 0
        while (absMax > Upper && Upper > 0)
            Double();
        int last = counts.Length - 1;
        if (Upper == 0)
        {
            counts[0] += values.Length;        // all zeros
            Total += values.Length;
            return;
        }
        double perUnit = counts.Length / Upper; // bin index = floor(|x| · Bins / Upper)
        foreach (float v in values)
        {
            int k = (int)(Math.Abs(v) * perUnit);
            counts[k > last ? last : k]++;     // |x| = Upper (or a rounding hair above) goes to the last bin
        }
        Total += values.Length;
    }

    /// <summary>Doubles the range, keeping every count: new bin k = old bins 2k + 2k+1 (the upper half starts empty).</summary>
    private void Double()
    {
        int half = counts.Length / 2;
        for (int k = 0; k < half; k++)
            counts[k] = counts[2 * k] + counts[2 * k + 1];
        Array.Clear(counts, half, half);
        Upper *= 2;
        Doublings++;
    }
}
