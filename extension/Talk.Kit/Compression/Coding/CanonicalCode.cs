namespace Talk.Kit.Compression.Coding;

/// <summary>
/// A canonical prefix code: given only each symbol's code length, codes are assigned in order of (length, symbol),
/// each the previous code + 1, shifted left when the length grows (RFC 1951 §3.2.2). So a table of lengths is all a
/// decoder needs. Encodes and decodes symbol streams through <see cref="BitWriter"/>/<see cref="BitReader"/>.
/// </summary>
/// <example>Lengths a:2 b:1 c:3 d:3 give b = 0, a = 10, c = 110, d = 111.</example>
public sealed class CanonicalCode
{
    private readonly int[] lengths;
    private readonly uint[] codes;
    private readonly int[] countOfLength;    // [ℓ] = symbols with code length ℓ
    private readonly uint[] firstCodeOfLength; // [ℓ] = smallest code of length ℓ
    private readonly int[] firstRankOfLength;  // [ℓ] = where the symbols of length ℓ start in symbolsByRank
    private readonly int[] symbolsByRank;      // used symbols sorted by (length, symbol)

    private CanonicalCode(int[] lengths)
    {
        this.lengths = lengths;
        MaxLength = lengths.Length == 0 ? 0 : lengths.Max();
        countOfLength = new int[MaxLength + 1];
        foreach (int l in lengths)
            if (l > 0) countOfLength[l]++;

        // RFC 1951's next_code: the first code of length ℓ is (first code of ℓ−1 + number of codes of ℓ−1) · 2.
        firstCodeOfLength = new uint[MaxLength + 1];
        firstRankOfLength = new int[MaxLength + 1];
        for (int l = 2; l <= MaxLength; l++)
        {
            firstCodeOfLength[l] = (firstCodeOfLength[l - 1] + (uint)countOfLength[l - 1]) << 1;
            firstRankOfLength[l] = firstRankOfLength[l - 1] + countOfLength[l - 1];
        }

        symbolsByRank = Enumerable.Range(0, lengths.Length).Where(s => lengths[s] > 0)
            .OrderBy(s => lengths[s]).ThenBy(s => s).ToArray();
        codes = new uint[lengths.Length];
        var next = (uint[])firstCodeOfLength.Clone();
        foreach (int s in symbolsByRank)
            codes[s] = next[lengths[s]]++;
    }

    /// <summary>Builds the code from lengths (0 = symbol unused).</summary>
    /// <param name="lengths">Length per symbol, 0 to 30.</param>
    /// <exception cref="ArgumentException">A length is out of range, or the lengths are over-subscribed (Σ 2^−ℓ &gt; 1: no prefix code has them).</exception>
    public static CanonicalCode FromLengths(ReadOnlySpan<int> lengths)
    {
        double kraft = 0; // Kraft's inequality Σ 2^−ℓ ≤ 1 holds exactly when a prefix code with these lengths exists
        for (int s = 0; s < lengths.Length; s++)
        {
            if (lengths[s] is < 0 or > 30)
                throw new ArgumentException($"Symbol {s} has code length {lengths[s]}; lengths are 0 (unused) to 30.", nameof(lengths));
            if (lengths[s] > 0) kraft += Math.ScaleB(1.0, -lengths[s]);
        }
        if (kraft > 1)
            throw new ArgumentException($"The code lengths are over-subscribed (Σ 2^−ℓ = {kraft:G6} > 1): no prefix code has them.", nameof(lengths));
        return new CanonicalCode(lengths.ToArray());
    }

    /// <summary>A code for the frequencies, via <see cref="HuffmanLengths.FromFrequencies"/>.</summary>
    public static CanonicalCode FromFrequencies(ReadOnlySpan<long> frequencies, int maxLength = HuffmanLengths.DefaultMaxLength) =>
        new(HuffmanLengths.FromFrequencies(frequencies, maxLength));

    /// <summary>A code fitted to <paramref name="symbols"/>: counts each of 0..alphabetSize−1, then <see cref="FromFrequencies"/>.</summary>
    public static CanonicalCode ForSymbols(ReadOnlySpan<int> symbols, int alphabetSize, int maxLength = HuffmanLengths.DefaultMaxLength)
    {
        var counts = new long[alphabetSize];
        foreach (int s in symbols)
        {
            if ((uint)s >= (uint)alphabetSize)
                throw new ArgumentOutOfRangeException(nameof(symbols), s, $"Symbols are 0..{alphabetSize - 1}.");
            counts[s]++;
        }
        return FromFrequencies(counts, maxLength);
    }

    /// <summary>Symbols in the alphabet (used or not).</summary>
    public int AlphabetSize => lengths.Length;

    /// <summary>The longest code, in bits (0 for a code with no symbol).</summary>
    public int MaxLength { get; }

    /// <summary>Code length per symbol (0 = no code).</summary>
    public IReadOnlyList<int> Lengths => lengths;

    /// <summary>The code of <paramref name="symbol"/>, in the low <c>Lengths[symbol]</c> bits.</summary>
    public uint CodeOf(int symbol) => codes[symbol];

    /// <summary>Appends the codes of <paramref name="symbols"/>.</summary>
    public void Encode(ReadOnlySpan<int> symbols, BitWriter writer)
    {
        foreach (int s in symbols)
        {
            if ((uint)s >= (uint)lengths.Length || lengths[s] == 0)
                throw new ArgumentException($"Symbol {s} has no code in this table (it had frequency 0 when the code was built).", nameof(symbols));
            writer.Write(codes[s], lengths[s]);
        }
    }

    /// <summary>Reads <paramref name="count"/> symbols.</summary>
    /// <exception cref="InvalidDataException">A bit pattern is no code of this table, or the bits run out.</exception>
    public int[] Decode(BitReader reader, int count)
    {
        var symbols = new int[count];
        for (int i = 0; i < count; i++)
            symbols[i] = DecodeOne(reader);
        return symbols;
    }

    // Canonical decoding without a tree: the codes of length ℓ are the consecutive numbers firstCode[ℓ] ..
    // firstCode[ℓ] + count[ℓ] − 1, so read bit by bit until the value read so far falls in its length's range.
    private int DecodeOne(BitReader reader)
    {
        uint code = 0;
        for (int l = 1; l <= MaxLength; l++)
        {
            code = code << 1 | (reader.ReadBit() ? 1u : 0u);
            uint offset = code - firstCodeOfLength[l]; // wraps to a huge value when code < first: no match
            if (offset < (uint)countOfLength[l])
                return symbolsByRank[firstRankOfLength[l] + (int)offset];
        }
        throw new InvalidDataException(MaxLength == 0
            ? "The stream holds symbols, but its code table has none: it is corrupt."
            : $"Bits {reader.Position - MaxLength}..{reader.Position - 1} are no code of the table: the stream is corrupt.");
    }
}
