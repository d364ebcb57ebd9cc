using System.Buffers.Binary;

namespace Talk.Kit.Compression.Container;

/// <summary>Reads little-endian fields from a file already known to be complete and intact; a field running past the end means a corrupt length field.</summary>
internal sealed class ByteCursor(byte[] data, int end, string file)
{
    public int Position { get; private set; }

    public ReadOnlyMemory<byte> Take(int count, string field)
    {
        if (count < 0 || count > end - Position)
            throw new CompressedModelFormatException(
                $"{file} is corrupt: {field} at byte {Position} claims {count} bytes, but only {end - Position} remain before the checksum. " +
                "Re-create the file with DeepCompression.Compress.");
        var slice = new ReadOnlyMemory<byte>(data, Position, count);
        Position += count;
        return slice;
    }

    public byte U8(string field) => Take(1, field).Span[0];
    public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field).Span);
    public int I32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field).Span);
    public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field).Span);
    public float F32(string field) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, field).Span);

    /// <summary>A block written as a 4-byte length and its bytes.</summary>
    public ReadOnlyMemory<byte> Block(string field) => Take(I32(field + " length"), field);
}
