namespace Talk.Kit.Compression.Coding;

/// <summary>
/// Reads the bit fields a <see cref="BitWriter"/> wrote, MSB-first. Reading past the end throws
/// <see cref="InvalidDataException"/> (the stream is shorter than its header said: truncated or corrupt).
/// </summary>
public sealed class BitReader
{
    private readonly ReadOnlyMemory<byte> data;

    /// <param name="data">The bytes to read; not copied, so do not change them while reading.</param>
    public BitReader(ReadOnlyMemory<byte> data) => this.data = data;

    /// <summary>Bits consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>Bits left, padding included.</summary>
    public long Remaining => data.Length * 8L - Position;

    /// <summary>Reads a field of <paramref name="count"/> bits (0 to 32), most significant bit first.</summary>
    public uint Read(int count)
    {
        if (count is < 0 or > 32)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A field is 0 to 32 bits wide.");
        if (count > Remaining)
            throw new InvalidDataException($"The bit stream ends after {data.Length} bytes, but {count} more bits were expected at bit {Position}.");
        var span = data.Span;
        uint value = 0;
        for (int i = 0; i < count; i++, Position++)
            value = value << 1 | (uint)(span[(int)(Position >> 3)] >> (7 - (int)(Position & 7)) & 1);
        return value;
    }

    /// <summary>Reads one bit.</summary>
    public bool ReadBit() => Read(1) == 1;

    /// <summary>
    /// Checks that only the zero padding of the last byte is left: a stream that decoded to the expected count
    /// but has data beyond it, or non-zero padding, was not written by <see cref="BitWriter"/> as it stands.
    /// </summary>
    public void RequireOnlyPadding()
    {
        if (Remaining >= 8)
            throw new InvalidDataException($"The bit stream has {Remaining / 8} unused bytes after its data: it does not match its header.");
        if (Read((int)Remaining) != 0)
            throw new InvalidDataException("The bit stream's last byte has non-zero padding: it is corrupt.");
    }
}
