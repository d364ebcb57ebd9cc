namespace Talk.Kit.Compression.Sparse;

/// <summary>
/// Encodes a pruned weight array (zeros = pruned) in relative-index form and back (Han et al. 2016, §2, Fig. 2).
/// </summary>
/// <remarks>
/// Entry k at position p_k stores gap_k = p_k − p_{k−1} − 1 (the zeros skipped; p_{−1} = −1) in b bits, so a gap is
/// 0..2^b − 1. When more than 2^b − 1 zeros separate two non-zeros, a filler entry of value 0 is placed 2^b positions
/// after the previous entry (gap 2^b − 1), as often as needed. The paper's Fig. 2 with b = 3: non-zeros at 1, 4 and 15
/// of 16 are stored at 1, 4, 12 (filler) and 15, gaps 1, 2, 7, 2 (the figure labels the differences p_k − p_{k−1}:
/// 3, 8, 3 after the first). The paper uses b = 8 for conv layers and 5 for fc layers.
/// Zero is tested with ==, so −0.0 counts as pruned and decodes to +0.0.
/// </remarks>
public static class RelativeIndex
{
    /// <summary>Index bits the paper uses for conv layers (§2: "8 bits for conv layers").</summary>
    public const int ConvIndexBits = 8;

    /// <summary>Index bits the paper uses for fc layers (§2: "5 bits for fc layers").</summary>
    public const int FcIndexBits = 5;

    /// <summary>Relative-index form of <paramref name="weights"/>.</summary>
    /// <param name="weights">Dense, row-major; zeros are pruned weights.</param>
    /// <param name="indexBits">Bits per gap, 1 to 16.</param>
    public static RelativeIndexVector Encode(ReadOnlySpan<float> weights, int indexBits)
    {
        CheckIndexBits(indexBits);
        int maxGap = (1 << indexBits) - 1;
        var gaps = new List<int>();
        var values = new List<float>();
        int previous = -1;
        for (int p = 0; p < weights.Length; p++)
        {
            if (weights[p] == 0) continue;
            while (p - previous - 1 > maxGap) // too many zeros for one gap: a filler 2^b positions on
            {
                previous += maxGap + 1;
                gaps.Add(maxGap);
                values.Add(0f);
            }
            gaps.Add(p - previous - 1);
            values.Add(weights[p]);
            previous = p;
        }
        return new RelativeIndexVector(weights.Length, indexBits, gaps.ToArray(), values.ToArray());
    }

    /// <summary>The dense array back: each value at its position, zeros elsewhere.</summary>
    /// <exception cref="InvalidDataException">A gap is out of range or the entries run past the end.</exception>
    public static float[] Decode(RelativeIndexVector sparse)
    {
        ArgumentNullException.ThrowIfNull(sparse);
        if (sparse.Values.Count != sparse.Gaps.Count)
            throw new ArgumentException($"{sparse.Gaps.Count} gaps but {sparse.Values.Count} values: one of each per entry.", nameof(sparse));
        var positions = Positions(sparse.Gaps.ToArray(), sparse.Length, sparse.IndexBits);
        var dense = new float[sparse.Length];
        for (int k = 0; k < positions.Length; k++)
            dense[positions[k]] = sparse.Values[k];
        return dense;
    }

    /// <summary>Absolute position of each entry: p_k = p_{k−1} + gap_k + 1, p_{−1} = −1.</summary>
    /// <exception cref="InvalidDataException">A gap is negative or wider than <paramref name="indexBits"/>, or a position is ≥ <paramref name="length"/>.</exception>
    public static int[] Positions(ReadOnlySpan<int> gaps, int length, int indexBits)
    {
        CheckIndexBits(indexBits);
        var positions = new int[gaps.Length];
        long p = -1;
        for (int k = 0; k < gaps.Length; k++)
        {
            if (gaps[k] < 0 || gaps[k] >= 1 << indexBits)
                throw new InvalidDataException($"Gap {gaps[k]} of entry {k} does not fit in {indexBits} index bits: the sparse data is corrupt.");
            p += gaps[k] + 1;
            if (p >= length)
                throw new InvalidDataException($"Entry {k} lands at position {p}, past the end of the {length} weights: the sparse data is corrupt.");
            positions[k] = (int)p;
        }
        return positions;
    }

    private static void CheckIndexBits(int indexBits)
    {
        if (indexBits is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(indexBits), indexBits, "Index bits are 1 to 16 (the paper uses 8 for conv, 5 for fc).");
    }
}
