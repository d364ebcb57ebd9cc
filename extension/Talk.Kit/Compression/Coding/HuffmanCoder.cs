namespace Talk.Kit.Compression.Coding;

/// <summary>A symbol stream coded with a canonical Huffman code fitted to it: the table and the bit stream, kept apart so sizes can be reported separately.</summary>
/// <param name="Table">The code's lengths (<see cref="HuffmanTable"/>).</param>
/// <param name="Stream">The codes of the symbols, MSB-first, last byte zero-padded.</param>
/// <param name="StreamBits">Bits of <paramref name="Stream"/> before padding: Σ frequency × code length.</param>
public sealed record HuffmanCoded(byte[] Table, byte[] Stream, long StreamBits);

/// <summary>
/// Static (two-pass) Huffman coding of whole symbol streams, as Deep Compression codes its cluster indices and
/// relative gaps (Han et al. 2016, §4): count symbols, build an optimal code, write table + stream.
/// </summary>
public static class HuffmanCoder
{
    /// <summary>Codes <paramref name="symbols"/> (each 0..alphabetSize−1); an empty stream gives an empty table and stream.</summary>
    public static HuffmanCoded Encode(ReadOnlySpan<int> symbols, int alphabetSize)
    {
        var code = CanonicalCode.ForSymbols(symbols, alphabetSize);
        var writer = new BitWriter();
        code.Encode(symbols, writer);
        return new HuffmanCoded(HuffmanTable.Write(code), writer.ToArray(), writer.BitCount);
    }

    /// <summary>Decodes <paramref name="count"/> symbols; the stream must end right after them (only zero padding).</summary>
    /// <exception cref="InvalidDataException">The table or stream is corrupt or truncated.</exception>
    public static int[] Decode(ReadOnlyMemory<byte> table, ReadOnlyMemory<byte> stream, int count, int alphabetSize)
    {
        var code = HuffmanTable.Read(table, alphabetSize);
        var reader = new BitReader(stream);
        if (count > reader.Remaining) // every symbol costs at least one bit: refuse before allocating for a corrupt count
            throw new InvalidDataException($"The header promises {count} symbols, but the stream has only {reader.Remaining} bits.");
        var symbols = code.Decode(reader, count);
        reader.RequireOnlyPadding();
        return symbols;
    }
}
