using Talk.Kit.Compression.Coding;
using Talk.Kit.Compression.Sharing;
using Talk.Kit.Compression.Sparse;

namespace Talk.Kit.Compression.Container;

/// <summary>One layer's compressed parts: what <see cref="ContainerWriter"/> stores for it.</summary>
/// <param name="Clusters">Weight sharing of the layer (centroids, index per non-zero, iterations).</param>
/// <param name="Entries">Relative-index entries: non-zeros + fillers.</param>
/// <param name="Weights">Huffman-coded cluster index per entry (symbol k = filler).</param>
/// <param name="Gaps">Huffman-coded relative gap per entry.</param>
/// <param name="SharedDense">The layer as decoding will give it: centroid[index] at each non-zero, 0 elsewhere.</param>
internal sealed record EncodedLayer(LayerCompression Settings, long[] Dims, int NonZeros, int Entries, SharedWeights Clusters,
    HuffmanCoded Weights, HuffmanCoded Gaps, float[] SharedDense);

/// <summary>
/// The three stages of Deep Compression on one layer (Han et al. 2016, Fig. 1): the pruned weights in relative-index
/// form (§2), their values replaced by cluster indices (§3), both streams Huffman-coded (§4) — and back.
/// </summary>
internal static class LayerCodec
{
    public static EncodedLayer Encode(float[] weights, long[] dims, LayerCompression settings, int maxIterations)
    {
        if (settings.WeightBits is < 1 or > ContainerFormat.MaxWeightBits)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.WeightBits, $"'{settings.Initializer}': weight bits are 1 to {ContainerFormat.MaxWeightBits}.");
        var clusters = WeightSharing.Cluster(weights, settings.WeightBits, maxIterations);
        var sparse = RelativeIndex.Encode(weights, settings.IndexBits);
        int filler = 1 << settings.WeightBits; // one symbol past the clusters: a filler zero has no centroid
        var symbols = new int[sparse.EntryCount];
        int next = 0;
        for (int e = 0; e < symbols.Length; e++)
            symbols[e] = sparse.Values[e] == 0 ? filler : clusters.Indices[next++];
        return new EncodedLayer(settings, dims, next, sparse.EntryCount, clusters,
            HuffmanCoder.Encode(symbols, filler + 1),
            HuffmanCoder.Encode(sparse.Gaps.ToArray(), 1 << settings.IndexBits),
            clusters.Decode(weights));
    }

    /// <summary>Dense fp32 weights from a layer's stored parts.</summary>
    /// <exception cref="InvalidDataException">The parts contradict each other or a stream is corrupt.</exception>
    public static float[] Decode(long elementCount, int weightBits, int indexBits, int nonZeros, int entries, float[] centroids,
        ReadOnlyMemory<byte> weightTable, ReadOnlyMemory<byte> gapTable, ReadOnlyMemory<byte> weightStream, ReadOnlyMemory<byte> gapStream)
    {
        if (nonZeros < 0 || entries < nonZeros || entries > elementCount)
            throw new InvalidDataException($"{entries} entries with {nonZeros} non-zeros cannot describe {elementCount} weights.");
        int filler = 1 << weightBits;
        var symbols = HuffmanCoder.Decode(weightTable, weightStream, entries, filler + 1);
        var gaps = HuffmanCoder.Decode(gapTable, gapStream, entries, 1 << indexBits);
        var positions = RelativeIndex.Positions(gaps, (int)elementCount, indexBits);
        var dense = new float[elementCount];
        int found = 0;
        for (int e = 0; e < entries; e++)
        {
            if (symbols[e] == filler) continue;
            dense[positions[e]] = centroids[symbols[e]];
            found++;
        }
        if (found != nonZeros)
            throw new InvalidDataException($"The streams hold {found} non-zero weights, the header says {nonZeros}.");
        return dense;
    }
}
