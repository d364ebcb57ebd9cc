using System.Buffers;
using System.IO.Compression;

namespace Talk.Kit.Compression.Container;

/// <summary>
/// The graph block of a <see cref="ContainerFormat"/> file: the serialized ModelProto, Brotli-compressed
/// (<see cref="ContainerFormat.GraphBrotli"/>) when that is smaller. Names, op types and shapes are repetitive text that
/// Brotli (RFC 7932) shrinks several-fold; the raw fp32 biases inside barely shrink.
/// </summary>
internal static class GraphCodec
{
    /// <summary>Brotli's densest setting: the graph is small (kilobytes), so the slowest quality costs milliseconds.</summary>
    private const int Quality = 11;

    /// <summary>A 2^22-byte (4 MiB) window, Brotli's default: larger graphs still compress, only with less look-back.</summary>
    private const int Window = 22;

    /// <summary>The block to store and its flags: Brotli when it is smaller than <paramref name="graph"/>, else the graph as it is (flag 0).</summary>
    public static (byte[] Block, ushort Flags) Encode(byte[] graph)
    {
        var packed = new byte[BrotliEncoder.GetMaxCompressedLength(graph.Length)];
        if (!BrotliEncoder.TryCompress(graph, packed, out int written, Quality, Window))
            throw new InvalidOperationException("Brotli could not compress the graph into its maximum compressed length."); // cannot happen
        return written < graph.Length ? (packed[..written], ContainerFormat.GraphBrotli) : (graph, (ushort)0);
    }

    /// <summary>The serialized ModelProto from a stored block.</summary>
    /// <exception cref="InvalidDataException">The Brotli stream is corrupt, cut short, or followed by extra bytes.</exception>
    public static byte[] Decode(ReadOnlyMemory<byte> block, ushort flags)
    {
        if ((flags & ContainerFormat.GraphBrotli) == 0) return block.ToArray();
        using var decoder = new BrotliDecoder();
        var source = block.Span;
        var output = new byte[Math.Max(1024, 4 * source.Length)];
        int length = 0;
        while (true)
        {
            var status = decoder.Decompress(source, output.AsSpan(length), out int consumed, out int written);
            source = source[consumed..];
            length += written;
            switch (status)
            {
                case OperationStatus.Done when source.IsEmpty: return output[..length];
                case OperationStatus.Done: throw new InvalidDataException($"{source.Length} bytes follow the end of its Brotli stream");
                case OperationStatus.DestinationTooSmall: Array.Resize(ref output, checked(output.Length * 2)); break;
                case OperationStatus.NeedMoreData: throw new InvalidDataException("its Brotli stream ends early");
                default: throw new InvalidDataException("its Brotli stream is invalid");
            }
        }
    }
}
