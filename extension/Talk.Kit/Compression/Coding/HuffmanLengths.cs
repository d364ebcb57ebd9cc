namespace Talk.Kit.Compression.Coding;

/// <summary>
/// Code lengths of an optimal prefix code for symbol frequencies (Huffman 1952; CLRS §16.3): repeatedly merge the two
/// least frequent subtrees; a symbol's code length is its depth in the final tree. Only the lengths are kept: the codes
/// themselves follow canonically from them (<see cref="CanonicalCode"/>), so a decoder needs only the lengths.
/// </summary>
/// <remarks>
/// Length-limited: when the optimal tree is deeper than <c>maxLength</c> (possible with very skewed, Fibonacci-like
/// counts) the lengths come from <see cref="PackageMerge"/> instead, which is optimal under that limit. With the default
/// of 15 bits (as Deflate) a table stores each length in 4 bits and any 32-bit read holds a whole code.
/// Conventions: a symbol of frequency 0 gets length 0 (no code); a lone used symbol gets length 1, so every coded symbol
/// costs at least one bit and the unused code "1" lets a decoder detect a corrupt stream.
/// </remarks>
public static class HuffmanLengths
{
    /// <summary>The kit's limit on code lengths: 15 bits, as in Deflate.</summary>
    public const int DefaultMaxLength = 15;

    /// <summary>Code length per symbol (0 for unused symbols).</summary>
    /// <param name="frequencies">Occurrences of each symbol, index = symbol; none negative.</param>
    /// <param name="maxLength">Longest code allowed, 1 to 30; needs 2^maxLength ≥ used symbols.</param>
    public static int[] FromFrequencies(ReadOnlySpan<long> frequencies, int maxLength = DefaultMaxLength)
    {
        if (maxLength is < 1 or > 30)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "Code lengths are limited to 1..30 bits.");
        var used = new List<int>();
        for (int s = 0; s < frequencies.Length; s++)
        {
            if (frequencies[s] < 0)
                throw new ArgumentException($"Symbol {s} has a negative frequency ({frequencies[s]}).", nameof(frequencies));
            if (frequencies[s] > 0) used.Add(s);
        }
        if (used.Count > 1L << maxLength)
            throw new ArgumentException($"{used.Count} used symbols cannot all get codes of at most {maxLength} bits.", nameof(maxLength));

        var lengths = new int[frequencies.Length];
        if (used.Count == 1)
            lengths[used[0]] = 1;
        if (used.Count < 2)
            return lengths;

        var weights = new long[used.Count];
        for (int i = 0; i < used.Count; i++)
            weights[i] = frequencies[used[i]];
        var depths = TreeDepths(weights);
        if (depths.Max() > maxLength)
            depths = PackageMerge.Lengths(weights, maxLength);
        for (int i = 0; i < used.Count; i++)
            lengths[used[i]] = depths[i];
        return lengths;
    }

    /// <summary>Bits needed to code a stream with these frequencies and lengths: Σ frequency × length.</summary>
    public static long EncodedBits(ReadOnlySpan<long> frequencies, ReadOnlySpan<int> lengths)
    {
        long bits = 0;
        for (int s = 0; s < frequencies.Length; s++)
            bits += frequencies[s] * lengths[s];
        return bits;
    }

    // Depth of each leaf in the Huffman tree of ≥ 2 weights. Nodes 0..n-1 are leaves, later ones merged subtrees;
    // the priority (weight, node id) is a total order, so equal weights merge in the same order on every run.
    private static int[] TreeDepths(long[] weights)
    {
        int n = weights.Length;
        var parent = new int[2 * n - 1];
        var queue = new PriorityQueue<int, (long Weight, int Id)>();
        for (int i = 0; i < n; i++)
            queue.Enqueue(i, (weights[i], i));
        for (int next = n; queue.Count > 1; next++)
        {
            queue.TryDequeue(out int a, out var pa);
            queue.TryDequeue(out int b, out var pb);
            parent[a] = parent[b] = next;
            queue.Enqueue(next, (pa.Weight + pb.Weight, next));
        }
        // A parent always has a larger id than its children, so one pass from the root down gives every depth.
        var depth = new int[2 * n - 1];
        for (int node = 2 * n - 3; node >= 0; node--)
            depth[node] = depth[parent[node]] + 1;
        return depth[..n];
    }
}
