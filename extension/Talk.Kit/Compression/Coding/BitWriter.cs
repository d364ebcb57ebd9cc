namespace Talk.Kit.Compression.Coding;

/// <summary>
/// Appends bit fields MSB-first: the first bit written is the top bit (0x80) of byte 0, as in JPEG and as one reads a
/// code on paper. The last byte is padded with zero bits.
/// </summary>
public sealed class BitWriter
{
    private readonly List<byte> bytes = [];
    private int pending;     // bits not yet flushed into a byte, right-aligned
    private int pendingBits; // 0..7

    /// <summary>Bits written so far (without the padding of the last byte).</summary>
    public long BitCount { get; private set; }

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="value"/>, most significant first.</summary>
    /// <param name="value">Holds the field in its low bits; higher bits must be zero.</param>
    /// <param name="count">Field width, 0 to 32 bits.</param>
    public void Write(uint value, int count)
    {
        if (count is < 0 or > 32)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A field is 0 to 32 bits wide.");
        if (count < 32 && value >> count != 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} does not fit in {count} bits.");
        for (int i = count - 1; i >= 0; i--) // bit by bit: simple, and fast enough for models of a few MB
        {
            pending = pending << 1 | (int)(value >> i & 1);
            if (++pendingBits == 8)
            {
                bytes.Add((byte)pending);
                pending = pendingBits = 0;
            }
        }
        BitCount += count;
    }

    /// <summary>Writes one bit.</summary>
    public void Write(bool bit) => Write(bit ? 1u : 0u, 1);

    /// <summary>Bytes needed for what was written: ⌈BitCount / 8⌉.</summary>
    public long ByteCount => (BitCount + 7) / 8;

    /// <summary>The bytes written, the last one padded with zeros on the right (the writer can go on).</summary>
    public byte[] ToArray()
    {
        var result = new byte[ByteCount];
        bytes.CopyTo(result);
        if (pendingBits > 0)
            result[^1] = (byte)(pending << (8 - pendingBits));
        return result;
    }
}
