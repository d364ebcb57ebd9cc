using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Calibration;

namespace Talk.Kit.Tests.Compression.Quantization.Calibration;

public sealed class AbsHistogramTests
{
    [Fact]
    public void FirstBatch_SetsTheRange_ToItsMaxAbs()
    {
        var h = new AbsHistogram(4);
        h.Add([-2f, 0.1f, 0.6f, 1.2f, 1.9f], 2f);

        Assert.Equal(2.0, h.Upper);
        Assert.Equal([1L, 1L, 1L, 2L], h.Counts.ToArray()); // widths 0.5: 0.1 | 0.6 | 1.2 | 1.9, |−2| = Upper → last bin
        Assert.Equal(5, h.Total);
        Assert.Equal(0, h.Doublings);
    }

    [Fact]
    public void GrowingRange_MergesBinsPairwise_KeepingEveryCount_AndMatchesBinningAtTheFinalWidth()
    {
        const int bins = 64;
        var random = new Random(7);
        // Batch 1 spans [0, 1]; batch 2 reaches 3.5, so the range doubles twice (1 → 2 → 4).
        float[] first = Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() * 2 - 1)).Append(1f).ToArray();
        float[] second = Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() * 7 - 3.5)).Append(-3.5f).ToArray();
        var h = new AbsHistogram(bins);
        h.Add(first, 1f);
        h.Add(second, 3.5f);

        Assert.Equal(4.0, h.Upper);
        Assert.Equal(2, h.Doublings);
        Assert.Equal(2002, h.Total);
        Assert.Equal(2002, h.Counts.ToArray().Sum());
        // Edges line up exactly after merging, so the counts equal a direct binning of all values at width 4/64 —
        // except the first batch's maximum: it sat at that batch's upper edge (in its last bin, which is closed), so
        // after merging it stays in the bin below 1.0 (bin 15) where direct binning puts it at the start of bin 16.
        var expected = new long[bins];
        foreach (float v in first.Concat(second))
            expected[Math.Min(bins - 1, (int)(Math.Abs(v) * bins / 4.0))]++;
        expected[16]--;
        expected[15]++;
        Assert.Equal(expected, h.Counts.ToArray());
    }

    [Fact]
    public void Zeros_BeforeAnyOtherValue_StayInBinZero()
    {
        var h = new AbsHistogram(8);
        h.Add(new float[10], 0f);
        Assert.Equal(0.0, h.Upper);
        h.Add([0.5f, 8f], 8f);

        Assert.Equal(8.0, h.Upper);
        Assert.Equal([11L, 0, 0, 0, 0, 0, 0, 1], h.Counts.ToArray()); // 0.5 < width 1 joins the 10 zeros; 8 = Upper → last
        Assert.Equal(8, h.UsedBins);
    }

    [Fact]
    public void OddBinCount_IsRefused_BecausePairsCouldNotMerge()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AbsHistogram(2047));
        Assert.Contains("even number of bins", error.Message);
    }

    [Fact]
    public void Statistics_RefuseNaN_WithAReadableMessage()
    {
        var stats = new TensorStatistics("conv1", 256);
        var error = Assert.Throws<QuantizationException>(() => stats.Add([1f, float.NaN, 2f]));
        Assert.Contains("'conv1' holds NaN or infinite values", error.Message);
    }
}
