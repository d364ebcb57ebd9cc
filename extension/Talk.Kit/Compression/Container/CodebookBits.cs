namespace Talk.Kit.Compression.Container;

/// <summary>
/// How many weight bits a layer can use: the paper's 8 (conv) / 5 (fc) unless the layer has too few non-zeros for a
/// codebook that large. The rule: the codebook may cost no more than the indices into it,
/// <code>32 · 2^b  ≤  b · n</code>
/// (2^b fp32 centroids against n non-zeros with a b-bit cluster index each, before Huffman coding). Past that point a
/// layer has fewer weights than a few per centroid: more centroids buy little accuracy (most would hold one or two
/// weights, i.e. store them at fp32 anyway) but the codebook grows by 32 bits per centroid.
/// </summary>
/// <remarks>
/// Thresholds: b = 8 needs n ≥ 1,024; 5 needs n ≥ 205; 4 needs 128; 3 needs 86; 1 and 2 need 64. Below 64 non-zeros no
/// codebook pays and the tensor stays raw fp32 in the graph. The kit's LeNet-5 with the paper's sparsities: conv1 (150
/// weights, 99 kept) gets 3 bits, conv2 (2,400, 288 kept) 5 bits instead of 8 — its 8-bit codebook (1 KB) was four times
/// its indices. Big layers (LeNet-300-100's, LeNet-5's fc1 and fc2) keep the paper's bits.
/// </remarks>
public static class CodebookBits
{
    /// <summary>Bits of one stored centroid (fp32: <see cref="ContainerFormat"/>).</summary>
    public const int CentroidBits = 32;

    /// <summary>The largest b ≤ <paramref name="bits"/> with 32 · 2^b ≤ b · <paramref name="nonZeros"/>; 0 when even b = 1 does not pay.</summary>
    /// <param name="bits">The bits wanted (the paper's: <see cref="LayerCompression.Conv"/>, <see cref="LayerCompression.Fc"/>).</param>
    /// <param name="nonZeros">Weights the layer keeps after pruning.</param>
    public static int Cap(int bits, long nonZeros)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nonZeros);
        for (int b = bits; b >= 1; b--)
            if ((long)CentroidBits << b <= b * nonZeros) return b;
        return 0;
    }
}
