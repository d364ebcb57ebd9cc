using System.Text;

namespace Talk.Kit.Compression.Container;

/// <summary>
/// Sizes of one compressed layer, in the spirit of the paper's Tables 2–3 (Han et al. 2016): how much was kept, bits
/// per weight and per index before and after Huffman coding, and what each part of the file costs.
/// </summary>
/// <param name="Weights">Elements of the tensor.</param>
/// <param name="NonZeros">Weights kept by pruning.</param>
/// <param name="Fillers">Filler zeros the relative index needed.</param>
/// <param name="WeightBits">Cluster index bits (fixed-width, before Huffman).</param>
/// <param name="IndexBits">Relative gap bits (fixed-width, before Huffman).</param>
/// <param name="WeightStreamBits">Huffman-coded cluster indices, in bits.</param>
/// <param name="IndexStreamBits">Huffman-coded gaps, in bits.</param>
/// <param name="WeightBytes">Bytes of the coded cluster indices.</param>
/// <param name="IndexBytes">Bytes of the coded gaps.</param>
/// <param name="TableBytes">Bytes of the codebook (fp32 centroids) and both Huffman tables.</param>
/// <param name="HeaderBytes">Bytes of the layer's name, shape, settings, counts and length fields.</param>
/// <param name="Iterations">k-means (Lloyd) iterations run.</param>
public sealed record LayerSizeReport(string Name, IReadOnlyList<long> Shape, long Weights, long NonZeros, long Fillers,
    int WeightBits, int IndexBits, long WeightStreamBits, long IndexStreamBits,
    long WeightBytes, long IndexBytes, long TableBytes, long HeaderBytes, int Iterations, bool Converged)
{
    /// <summary>Relative-index entries: non-zeros + fillers.</summary>
    public long Entries => NonZeros + Fillers;

    /// <summary>Fraction of weights kept by pruning (the paper's "Weights %").</summary>
    public double Kept => Weights == 0 ? 0 : NonZeros / (double)Weights;

    /// <summary>Average Huffman-coded bits per cluster index (the paper's weight bits "P+Q+H").</summary>
    public double CodedWeightBits => Entries == 0 ? 0 : WeightStreamBits / (double)Entries;

    /// <summary>Average Huffman-coded bits per gap (the paper's index bits "P+Q+H").</summary>
    public double CodedIndexBits => Entries == 0 ? 0 : IndexStreamBits / (double)Entries;

    /// <summary>All of the layer's bytes in the file.</summary>
    public long TotalBytes => WeightBytes + IndexBytes + TableBytes + HeaderBytes;

    /// <summary>Dense fp32 bytes ÷ bytes in the file.</summary>
    public double CompressionRatio => TotalBytes == 0 ? 0 : 4.0 * Weights / TotalBytes;
}

/// <summary>A model's size through the stages of Deep Compression (Han et al. 2016, Fig. 1), in bytes.</summary>
/// <param name="DenseFp32">Every initializer dense (compressed layers as fp32).</param>
/// <param name="Sparse">Compressed layers as relative-index entries with fp32 values: entries × (32 + index bits); the rest raw.</param>
/// <param name="Shared">As Sparse, with a weight-bits cluster index per entry instead of fp32, plus the fp32 codebooks.
/// (A filler counts as one index slot, as in the paper's formula; the file codes it as one extra Huffman symbol.)</param>
/// <param name="Huffman">The file: both streams Huffman-coded, plus graph, tables and header.</param>
public sealed record StageSizes(long DenseFp32, long Sparse, long Shared, long Huffman);

/// <summary>What compressing a model gave: per-layer sizes, stage sizes, and where every byte of the file went.</summary>
/// <param name="ContainerBytes">Fixed header and the tensor count.</param>
/// <param name="GraphBytes">The graph as stored in the file (ModelProto with structure and raw initializers, Brotli-compressed
/// when that is smaller: <see cref="ContainerFormat.GraphBrotli"/>).</param>
/// <param name="GraphProtobufBytes">The same ModelProto serialized, before Brotli.</param>
/// <param name="RawInitializerBytes">Of <paramref name="GraphProtobufBytes"/>: the initializers left uncompressed.</param>
/// <param name="FileBytes">The whole file: ContainerBytes + GraphBytes + Σ layer TotalBytes + ChecksumBytes.</param>
public sealed record CompressionReport(IReadOnlyList<LayerSizeReport> Layers, long ContainerBytes, long GraphBytes,
    long GraphProtobufBytes, long RawInitializerBytes, long ChecksumBytes, long FileBytes, StageSizes Stages)
{
    /// <summary>Dense fp32 initializers ÷ file.</summary>
    public double CompressionRatio => FileBytes == 0 ? 0 : Stages.DenseFp32 / (double)FileBytes;

    /// <summary>A text table: one line per layer, then the stages.</summary>
    public override string ToString()
    {
        var s = new StringBuilder();
        // Widths fit LeNet layer names and ResNet-18's multi-megabyte layers alike (names are padded to the longest).
        int name = Math.Max(14, Layers.Count == 0 ? 0 : Layers.Max(l => l.Name.Length) + 1);
        s.AppendLine($"{"layer".PadRight(name)}{"weights",11}{"kept",8}{"w bits",7}{"→ H",6}{"i bits",7}{"→ H",6}{"weights B",12}{"index B",11}{"tables B",10}{"total B",12}{"ratio",8}");
        foreach (var l in Layers)
            s.AppendLine($"{l.Name.PadRight(name)}{l.Weights,11:N0}{l.Kept,8:P1}{l.WeightBits,7}{l.CodedWeightBits,6:F1}{l.IndexBits,7}{l.CodedIndexBits,6:F1}" +
                         $"{l.WeightBytes,12:N0}{l.IndexBytes,11:N0}{l.TableBytes,10:N0}{l.TotalBytes,12:N0}{l.CompressionRatio,7:F1}×");
        string graph = GraphBytes < GraphProtobufBytes ? $"{GraphBytes:N0} B Brotli of {GraphProtobufBytes:N0} B protobuf" : $"{GraphBytes:N0} B";
        s.AppendLine($"graph {graph} (raw initializers {RawInitializerBytes:N0} B of it), header {ContainerBytes:N0} B, CRC {ChecksumBytes} B");
        var st = Stages;
        s.Append($"dense fp32 {st.DenseFp32:N0} B → sparse {st.Sparse:N0} B ({Ratio(st.Sparse)}) → shared {st.Shared:N0} B ({Ratio(st.Shared)}) " +
                 $"→ Huffman {st.Huffman:N0} B ({Ratio(st.Huffman)})");
        return s.ToString();
    }

    private string Ratio(long bytes) => bytes == 0 ? "–" : $"{Stages.DenseFp32 / (double)bytes:F1}×";
}
