namespace Talk.Kit.Compression.Coding;

/// <summary>
/// The compact serialized form of a <see cref="CanonicalCode"/>: only the lengths, because canonical codes follow from
/// them. Layout, MSB-first bits: the symbol count n (16 bits) = last used symbol + 1 (trailing unused symbols cost
/// nothing), then n code lengths of 4 bits each (0 = unused, 1..15), padded to a whole byte.
/// Size: 2 + ⌈n/2⌉ bytes, e.g. 130 bytes for a 256-symbol alphabet.
/// </summary>
public static class HuffmanTable
{
    /// <summary>Bits per stored length: 4, so codes in a table are at most 15 bits (<see cref="HuffmanLengths.DefaultMaxLength"/>).</summary>
    public const int LengthBits = 4;

    /// <summary>Largest symbol count a table can hold (16-bit field).</summary>
    public const int MaxSymbols = ushort.MaxValue;

    /// <summary>Serializes the lengths of <paramref name="code"/>.</summary>
    /// <exception cref="ArgumentException">A code is longer than 15 bits or the alphabet has more than 65,535 symbols.</exception>
    public static byte[] Write(CanonicalCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.MaxLength >= 1 << LengthBits)
            throw new ArgumentException($"A table stores code lengths up to {(1 << LengthBits) - 1} bits; this code has {code.MaxLength}. Build it with maxLength ≤ 15.", nameof(code));
        int count = code.Lengths.Count;
        while (count > 0 && code.Lengths[count - 1] == 0) count--;
        if (count > MaxSymbols)
            throw new ArgumentException($"A table holds at most {MaxSymbols} symbols; this code uses symbol {count - 1}.", nameof(code));
        var writer = new BitWriter();
        writer.Write((uint)count, 16);
        for (int s = 0; s < count; s++)
            writer.Write((uint)code.Lengths[s], LengthBits);
        return writer.ToArray();
    }

    /// <summary>Reads a table back into a code over an alphabet of <paramref name="alphabetSize"/> symbols.</summary>
    /// <param name="table">Exactly the bytes <see cref="Write"/> produced.</param>
    /// <param name="alphabetSize">The alphabet the stream uses; the table must not name a symbol beyond it.</param>
    /// <exception cref="InvalidDataException">The table is truncated, has extra bytes, names too many symbols, or its lengths form no prefix code.</exception>
    public static CanonicalCode Read(ReadOnlyMemory<byte> table, int alphabetSize)
    {
        var reader = new BitReader(table);
        int count = (int)reader.Read(16);
        if (count > alphabetSize)
            throw new InvalidDataException($"The code table lists {count} symbols, but the alphabet has only {alphabetSize}: it is corrupt.");
        var lengths = new int[alphabetSize];
        for (int s = 0; s < count; s++)
            lengths[s] = (int)reader.Read(LengthBits);
        reader.RequireOnlyPadding();
        try
        {
            return CanonicalCode.FromLengths(lengths);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The code table is corrupt: {e.Message}", e);
        }
    }
}
