namespace Talk.Kit.Compression.Container;

/// <summary>
/// The Talk.Kit Deep Compression file, version 1 (".tkdc"). All integers little-endian.
/// <code>
/// offset  bytes  field
///  0       8     magic 89 'T' 'K' 'D' 'C' 0D 0A 1A (PNG's trick: a non-ASCII first byte, CR LF and ^Z expose text-mode copies)
///  8       2     format version (1)
/// 10       2     flags: bit 0 = the graph is Brotli-compressed (<see cref="GraphBrotli"/>); other bits must be 0
/// 12       8     file length in bytes, checksum included (tells a truncated file from a damaged one)
/// 20       4     G = stored length of the graph
/// 24       G     the ONNX ModelProto (Brotli-compressed if flag bit 0); each compressed initializer keeps its name,
///                data type and dims but no data
///          4     T = compressed tensors; then T times:
///                  2 + n   name (UTF-8, length first) of an initializer in the graph
///                  1 + 4r  rank r, dims (u32 each; must equal the graph's)
///                  1       weight bits b: cluster index width, k = 2^b centroids
///                  1       index bits: relative gap width (RelativeIndex)
///                  4       non-zero weights
///                  4       entries = non-zeros + filler zeros
///                  4k      centroids, fp32, ascending
///                  4 + …   Huffman table of the cluster indices (alphabet k + 1: symbol k marks a filler)
///                  4 + …   Huffman table of the gaps (alphabet 2^index bits)
///                  4 + …   Huffman-coded cluster indices, one per entry
///                  4 + …   Huffman-coded gaps, one per entry
///  end−4   4     CRC-32 (IEEE 802.3) of every byte before it
/// </code>
/// Initializers that are not compressed (biases, small tensors) stay in the graph as they were: raw.
/// The writer Brotli-compresses the graph when that makes it smaller (names and shapes are text; LeNet-5's graph shrinks
/// from 2,790 B to 1,497 B, most of which is its 944 B of fp32 biases). Files with flags 0 (written before the flag
/// existed, or whose graph Brotli does not shrink) read as before: the format version stays 1. A file with a flag bit
/// this build does not know was written by a newer Talk.Kit and is refused.
/// Centroids are fp32 because they are few (at most 2^b per layer, ~1 % of LeNet-300-100's file) and so a decoded
/// weight is bit-for-bit the centroid k-means produced.
/// </summary>
public static class ContainerFormat
{
    /// <summary>The first 8 bytes of every file.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'T', (byte)'K', (byte)'D', (byte)'C', 0x0D, 0x0A, 0x1A];

    /// <summary>The version this build writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>The conventional file extension.</summary>
    public const string Extension = ".tkdc";

    /// <summary>Flag bit 0: the graph block is a Brotli stream (RFC 7932) of the ModelProto.</summary>
    public const ushort GraphBrotli = 1;

    /// <summary>Every flag bit this build understands.</summary>
    public const ushort KnownFlags = GraphBrotli;

    /// <summary>Bytes before the graph: magic, version, flags, file length, graph length.</summary>
    public const int HeaderBytes = 24;

    /// <summary>Bytes of the trailing CRC-32.</summary>
    public const int ChecksumBytes = 4;

    /// <summary>Largest weight-bits setting: k + 1 symbols must fit 15-bit Huffman codes.</summary>
    public const int MaxWeightBits = 14;
}
