using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Talk.Kit.Compression.Container;

namespace Talk.Kit.Tests.Compression.Container;

/// <summary>Flag bit 0 of a <see cref="ContainerFormat"/> file: the graph block is Brotli; files without it (flags 0) still read.</summary>
public class BrotliGraphTests
{
    private static readonly CompressionSettings Settings = new([new("W1", 4, 3), new("W2", 3, 5)]);

    private static CompressedModel Compressed() => DeepCompression.Compress(GemmNet.Build(GemmNet.Weights()), Settings);

    [Fact]
    public void TheWriter_BrotliCompressesTheGraph_AndTheFileDecodesBitExactly()
    {
        var compressed = Compressed();
        var bytes = compressed.ToArray();
        var r = compressed.Report;

        Assert.Equal(ContainerFormat.GraphBrotli, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(10)));
        Assert.Equal(r.GraphBytes, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20))); // the report gives the stored bytes
        Assert.True(r.GraphBytes < r.GraphProtobufBytes, $"Brotli should shrink the graph: {r.GraphBytes} vs {r.GraphProtobufBytes} B");
        // The stored block is a Brotli stream of exactly the skeleton protobuf the report measured.
        var graph = Unbrotli(bytes.AsSpan(ContainerFormat.HeaderBytes, (int)r.GraphBytes).ToArray());
        Assert.Equal(r.GraphProtobufBytes, graph.Length);
        var decoded = DeepCompression.Decompress(bytes, "decoded");
        Assert.Equal(compressed.Shared.ToArray(), decoded.ToArray()); // every byte of the model, weights included
    }

    [Fact]
    public void AFileWithFlags0_AsWrittenBeforeTheFlag_StillReads()
    {
        var compressed = Compressed();
        var old = WithGraphBlock(compressed.ToArray(), flags: 0, block => Unbrotli(block));

        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(old.AsSpan(10)));
        Assert.True(old.Length > compressed.Bytes.Length);
        Assert.Equal(compressed.Shared.ToArray(), DeepCompression.Decompress(old, "old").ToArray());
    }

    [Theory]
    [InlineData((ushort)0x0002)]
    [InlineData((ushort)0x8001)]
    public void UnknownFlagBits_AreRefused_AskingForANewerKit(ushort flags)
    {
        var bytes = WithGraphBlock(Compressed().ToArray(), flags, block => block); // valid CRC: written so, not damaged

        var e = Assert.Throws<CompressedModelFormatException>(() => DeepCompression.Decompress(bytes, "net"));
        Assert.Contains($"uses format flags 0x{flags:x4}; this Talk.Kit knows only 0x0001", e.Message);
        Assert.Contains("update Talk.Kit", e.Message);
    }

    [Fact]
    public void ACorruptBrotliGraph_WithAValidChecksum_SaysTheGraphDoesNotDecompress()
    {
        var e1 = Assert.Throws<CompressedModelFormatException>(() =>
            DeepCompression.Decompress(WithGraphBlock(Compressed().ToArray(), ContainerFormat.GraphBrotli, block => block[..^3]), "net"));
        Assert.Contains("is corrupt: its Brotli-compressed graph does not decompress: its Brotli stream ends early", e1.Message);

        var e2 = Assert.Throws<CompressedModelFormatException>(() =>
            DeepCompression.Decompress(WithGraphBlock(Compressed().ToArray(), ContainerFormat.GraphBrotli, block => [.. block, 0, 0]), "net"));
        Assert.Contains("2 bytes follow the end of its Brotli stream", e2.Message);
    }

    [Fact]
    public void TheGraphCodec_StoresAGraphBrotliCannotShrink_AsItIs()
    {
        var noise = new byte[64];
        new Random(7).NextBytes(noise);

        var (block, flags) = GraphCodec.Encode(noise);

        Assert.Equal(0, flags);
        Assert.Equal(noise, block);
        Assert.Equal(noise, GraphCodec.Decode(block, flags));
    }

    private static byte[] Unbrotli(byte[] block)
    {
        using var brotli = new BrotliStream(new MemoryStream(block), CompressionMode.Decompress);
        using var output = new MemoryStream();
        brotli.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The same file with its graph block replaced and its flags set, lengths and CRC-32 rewritten as a writer would.</summary>
    private static byte[] WithGraphBlock(byte[] file, ushort flags, Func<byte[], byte[]> change)
    {
        int g = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(20));
        var block = change(file.AsSpan(ContainerFormat.HeaderBytes, g).ToArray());
        var rest = file.AsSpan(ContainerFormat.HeaderBytes + g, file.Length - ContainerFormat.HeaderBytes - g - ContainerFormat.ChecksumBytes);
        var result = new byte[ContainerFormat.HeaderBytes + block.Length + rest.Length + ContainerFormat.ChecksumBytes];
        file.AsSpan(0, 10).CopyTo(result);
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(10), flags);
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(12), result.Length);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(20), block.Length);
        block.CopyTo(result.AsSpan(ContainerFormat.HeaderBytes));
        rest.CopyTo(result.AsSpan(ContainerFormat.HeaderBytes + block.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(result.Length - 4), Crc32.HashToUInt32(result.AsSpan(0, result.Length - 4)));
        return result;
    }
}
