namespace Talk.Kit.Compression.Sparse;

/// <summary>
/// A sparse vector in Deep Compression's relative-index form (Han et al. 2016, §2, Fig. 2): one entry per non-zero,
/// holding the gap from the previous entry instead of an absolute index, plus filler zeros where a gap would not fit.
/// </summary>
/// <param name="Length">Elements of the dense vector (trailing zeros are implied by it).</param>
/// <param name="IndexBits">Bits per stored gap: gaps are 0..2^IndexBits − 1.</param>
/// <param name="Gaps">Per entry: zeros skipped since the previous entry (the first counts from the start).</param>
/// <param name="Values">Per entry: the weight; 0 marks a filler.</param>
public sealed record RelativeIndexVector(int Length, int IndexBits, IReadOnlyList<int> Gaps, IReadOnlyList<float> Values)
{
    /// <summary>Entries stored: non-zeros plus fillers.</summary>
    public int EntryCount => Gaps.Count;

    /// <summary>Filler entries (value 0) that only bridge a long run of zeros.</summary>
    public int FillerCount => Values.Count(v => v == 0);

    /// <summary>Bits of the sparse form with fp32 values: entries × (32 + IndexBits) (§2: "CSR … relative index").</summary>
    public long Bits => (long)EntryCount * (32 + IndexBits);
}
