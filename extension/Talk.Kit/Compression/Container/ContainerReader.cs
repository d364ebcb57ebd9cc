using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Google.Protobuf;
using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Container;

/// <summary>
/// Decodes a <see cref="ContainerFormat"/> file into a serialized ONNX model with dense fp32 weights. Checks in the
/// order that gives the most useful message: magic (is it such a file?), version (can this build read it?), length
/// (was it cut short?), CRC-32 (was it damaged?), flags (does this build know every feature it uses?), then every field
/// against the bytes and the graph.
/// </summary>
internal static class ContainerReader
{
    public static byte[] Read(byte[] bytes, string file)
    {
        var magic = ContainerFormat.Magic;
        if (!bytes.AsSpan(0, Math.Min(bytes.Length, magic.Length)).SequenceEqual(magic[..Math.Min(bytes.Length, magic.Length)]))
            throw new CompressedModelFormatException(
                $"{file} is not a Talk.Kit Deep Compression file: it does not start with the bytes 89 54 4B 44 43 0D 0A 1A. " +
                (LooksLikeOnnx(bytes) ? "It looks like a plain ONNX model: load it with ModelLoader.Load instead." : "Check the path."));
        if (bytes.Length < ContainerFormat.HeaderBytes)
            throw Truncated(file, bytes.Length, ContainerFormat.HeaderBytes);
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        if (version != ContainerFormat.Version)
            throw new CompressedModelFormatException(
                $"{file} is format version {version}; this Talk.Kit reads version {ContainerFormat.Version}. " +
                (version > ContainerFormat.Version ? "Update Talk.Kit to read it." : "Re-create it with this Talk.Kit."));
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        if (bytes.Length < length)
            throw Truncated(file, bytes.Length, length);
        if (bytes.Length > length || length < ContainerFormat.HeaderBytes + 4 + ContainerFormat.ChecksumBytes)
            throw new CompressedModelFormatException(
                $"{file} has {bytes.Length:N0} bytes but its header says {length:N0}: it was appended to or is corrupt. Copy it again from its source.");
        int body = bytes.Length - ContainerFormat.ChecksumBytes;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(body));
        uint actual = Crc32.HashToUInt32(bytes.AsSpan(0, body));
        if (stored != actual)
            throw new CompressedModelFormatException(
                $"{file} fails its checksum (CRC-32 stored {stored:x8}, computed {actual:x8}): some bytes were damaged. " +
                "Copy it again from its source, or re-create it with DeepCompression.Compress.");

        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(10)); // checked after the CRC: a damaged flag is damage
        if ((flags & ~ContainerFormat.KnownFlags) != 0)
            throw new CompressedModelFormatException(
                $"{file} uses format flags 0x{flags:x4}; this Talk.Kit knows only 0x{ContainerFormat.KnownFlags:x4} (bit 0: Brotli graph). " +
                "It was written by a newer Talk.Kit: update Talk.Kit to read it.");

        var cursor = new ByteCursor(bytes, body, file);
        cursor.Take(ContainerFormat.HeaderBytes - 4, "header");
        var model = ParseGraph(cursor.Block("graph"), flags, file);
        int tensors = cursor.I32("tensor count");
        if (tensors < 0 || tensors > model.Graph.Initializer.Count)
            throw Corrupt(file, $"it lists {tensors} compressed tensors, but the graph has {model.Graph.Initializer.Count} initializers");
        for (int t = 0; t < tensors; t++)
            ReadTensor(cursor, model.Graph, file);
        if (cursor.Position != body)
            throw Corrupt(file, $"{body - cursor.Position} bytes follow the last tensor");
        if (model.Graph.Initializer.FirstOrDefault(t => t.DataType == (int)OnnxElementType.Float && ModelFacts.ElementCount(t) > 0 &&
                t.RawData.Length == 0 && t.FloatData.Count == 0 && t.DataLocation != TensorProto.Types.DataLocation.External) is { } missing)
            throw Corrupt(file, $"initializer '{missing.Name}' has no data in the graph and none in the file");
        return model.ToByteArray();
    }

    private static void ReadTensor(ByteCursor cursor, GraphProto graph, string file)
    {
        string name = Encoding.UTF8.GetString(cursor.Take(cursor.U16("name length"), "name").Span);
        var tensor = graph.Initializer.FirstOrDefault(i => i.Name == name)
            ?? throw Corrupt(file, $"it holds data for '{name}', which is no initializer of its graph");
        var dims = new long[cursor.U8($"'{name}' rank")];
        for (int i = 0; i < dims.Length; i++) dims[i] = cursor.U32($"'{name}' dimension");
        if (!dims.SequenceEqual(tensor.Dims) || tensor.DataType != (int)OnnxElementType.Float || tensor.RawData.Length > 0 || tensor.FloatData.Count > 0)
            throw Corrupt(file, $"tensor '{name}' [{string.Join(", ", dims)}] does not match its empty float initializer [{string.Join(", ", tensor.Dims)}] in the graph");
        int weightBits = cursor.U8($"'{name}' weight bits"), indexBits = cursor.U8($"'{name}' index bits");
        if (weightBits is < 1 or > ContainerFormat.MaxWeightBits || indexBits is < 1 or > 16)
            throw Corrupt(file, $"tensor '{name}' has {weightBits} weight bits and {indexBits} index bits (allowed: 1..{ContainerFormat.MaxWeightBits} and 1..16)");
        int nonZeros = cursor.I32($"'{name}' non-zeros"), entries = cursor.I32($"'{name}' entries");
        var centroids = new float[1 << weightBits];
        for (int c = 0; c < centroids.Length; c++) centroids[c] = cursor.F32($"'{name}' centroids");
        var weightTable = cursor.Block($"'{name}' weight table");
        var gapTable = cursor.Block($"'{name}' index table");
        var weightStream = cursor.Block($"'{name}' weight stream");
        var gapStream = cursor.Block($"'{name}' index stream");
        try
        {
            var dense = LayerCodec.Decode(ModelFacts.ElementCount(tensor), weightBits, indexBits, nonZeros, entries, centroids,
                weightTable, gapTable, weightStream, gapStream);
            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(dense.AsSpan()));
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(file, $"tensor '{name}' does not decode: {e.Message}", e);
        }
    }

    private static ModelProto ParseGraph(ReadOnlyMemory<byte> block, ushort flags, string file)
    {
        byte[] graph;
        try
        {
            graph = GraphCodec.Decode(block, flags);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(file, $"its Brotli-compressed graph does not decompress: {e.Message}", e);
        }
        try
        {
            return ModelProto.Parser.ParseFrom(graph);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Corrupt(file, $"its graph is not a readable ONNX model ({e.Message})", e);
        }
    }

    // An ONNX file is a protobuf ModelProto; it nearly always starts with field 1 (ir_version, varint): byte 0x08.
    private static bool LooksLikeOnnx(byte[] bytes) => bytes.Length > 0 && bytes[0] == 0x08;

    private static CompressedModelFormatException Truncated(string file, long have, long want) => new(
        $"{file} is truncated: it has {have:N0} bytes of {want:N0} (an interrupted copy or download). Copy it again from its source.");

    private static CompressedModelFormatException Corrupt(string file, string what, Exception? inner = null) => new(
        $"{file} is corrupt: {what}. Re-create it with DeepCompression.Compress.", inner);
}
