using Talk.Kit.Compression.Coding;

namespace Talk.Kit.Tests.Compression.Coding;

public class HuffmanTests
{
    [Fact]
    public void Lengths_OfTheClrsExample_Are_1_3_3_3_4_4()
    {
        // CLRS §16.3, Fig. 16.5: a:45 b:13 c:12 d:16 e:9 f:5 → a 1 bit, b c d 3 bits, e f 4 bits (224 bits per 100 chars).
        long[] frequencies = [45, 13, 12, 16, 9, 5];
        var lengths = HuffmanLengths.FromFrequencies(frequencies);

        Assert.Equal(new[] { 1, 3, 3, 3, 4, 4 }, lengths);
        Assert.Equal(224, HuffmanLengths.EncodedBits(frequencies, lengths));
    }

    [Fact]
    public void CanonicalCodes_FollowFromLengthsAlone()
    {
        // RFC 1951 §3.2.2 style: lengths a:2 b:1 c:3 d:3 → b = 0, a = 10, c = 110, d = 111.
        var code = CanonicalCode.FromLengths([2, 1, 3, 3]);

        Assert.Equal(new uint[] { 0b10, 0b0, 0b110, 0b111 }, Enumerable.Range(0, 4).Select(code.CodeOf));
    }

    [Fact]
    public void RandomSkewedStreams_RoundTrip()
    {
        var random = new Random(7);
        foreach (int alphabet in new[] { 2, 33, 257 })
        {
            // Geometric-ish: small symbols common, as cluster indices and gaps are.
            var symbols = Enumerable.Range(0, 5000).Select(_ => Math.Min(alphabet - 1, (int)(-Math.Log(1 - random.NextDouble()) * alphabet / 8))).ToArray();
            var coded = HuffmanCoder.Encode(symbols, alphabet);

            Assert.Equal(symbols, HuffmanCoder.Decode(coded.Table, coded.Stream, symbols.Length, alphabet));
            Assert.Equal((coded.StreamBits + 7) / 8, coded.Stream.Length);
        }
    }

    [Fact]
    public void OneSymbolStream_CostsOneBitPerSymbol_AndRoundTrips()
    {
        int[] symbols = [3, 3, 3, 3, 3, 3, 3, 3, 3];
        var coded = HuffmanCoder.Encode(symbols, 4);

        Assert.Equal(9, coded.StreamBits);
        Assert.Equal(symbols, HuffmanCoder.Decode(coded.Table, coded.Stream, 9, 4));
    }

    [Fact]
    public void EmptyStream_HasAnEmptyTable_AndDecodesToNothing()
    {
        var coded = HuffmanCoder.Encode([], 32);

        Assert.Empty(coded.Stream);
        Assert.Equal(2, coded.Table.Length); // just the symbol count, 0
        Assert.Empty(HuffmanCoder.Decode(coded.Table, coded.Stream, 0, 32));
        Assert.Throws<InvalidDataException>(() => HuffmanCoder.Decode(coded.Table, new byte[] { 0 }, 1, 32));
    }

    [Fact]
    public void Table_IsTheSymbolCountAndFourBitsPerLength()
    {
        var code = CanonicalCode.FromLengths([1, 2, 3, 3, 0, 0]); // trailing unused symbols are not stored

        Assert.Equal(new byte[] { 0, 4, 0x12, 0x33 }, HuffmanTable.Write(code));
        Assert.Equal(new[] { 1, 2, 3, 3, 0, 0 }, HuffmanTable.Read(HuffmanTable.Write(code), 6).Lengths);
    }

    [Fact]
    public void CorruptStreams_FailWithInvalidData_NeverAnotherException()
    {
        var random = new Random(11);
        var symbols = Enumerable.Range(0, 300).Select(_ => random.Next(0, 5) * random.Next(0, 5)).ToArray();
        var coded = HuffmanCoder.Encode(symbols, 17);
        for (int trial = 0; trial < 300; trial++)
        {
            var stream = coded.Stream.ToArray();
            stream[random.Next(stream.Length)] ^= (byte)(1 << random.Next(8));
            var table = coded.Table.ToArray();
            if (trial % 3 == 0) table[random.Next(table.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                Assert.NotEqual(symbols, HuffmanCoder.Decode(table, stream, symbols.Length, 17)); // a flip decodes to other symbols…
            }
            catch (InvalidDataException) { } // …or is detected; anything else (IndexOutOfRange, overflow) would fail the test
        }
    }

    [Fact]
    public void OneSymbolCode_RejectsTheUnusedCode()
    {
        var coded = HuffmanCoder.Encode([2, 2], 3); // code of symbol 2 is "0"; "1" is no code
        Assert.Throws<InvalidDataException>(() => HuffmanCoder.Decode(coded.Table, new byte[] { 0b0100_0000 }, 2, 3));
    }

    [Fact]
    public void CorruptTables_AreRejected()
    {
        // Over-subscribed: three codes of length 1.
        Assert.Throws<InvalidDataException>(() => HuffmanTable.Read(new byte[] { 0, 3, 0x11, 0x10 }, 3));
        // Lists more symbols than the alphabet has.
        Assert.Throws<InvalidDataException>(() => HuffmanTable.Read(new byte[] { 0, 9, 0x11, 0x10, 0, 0 }, 3));
        // Truncated.
        Assert.Throws<InvalidDataException>(() => HuffmanTable.Read(new byte[] { 0, 4, 0x12 }, 4));
    }

    [Fact]
    public void SkewedCounts_AreLimitedToMaxLength_WithACompleteCode()
    {
        // Fibonacci counts give the deepest Huffman tree: 20 symbols → a code of 19 bits.
        var fib = new long[20];
        fib[0] = fib[1] = 1;
        for (int i = 2; i < fib.Length; i++) fib[i] = fib[i - 1] + fib[i - 2];
        Assert.Equal(19, HuffmanLengths.FromFrequencies(fib, maxLength: 30).Max());

        var limited = HuffmanLengths.FromFrequencies(fib, maxLength: 7);
        Assert.Equal(7, limited.Max());
        Assert.Equal(1.0, limited.Sum(l => Math.ScaleB(1.0, -l))); // Kraft equality: complete, no code wasted
        var unlimited = HuffmanLengths.FromFrequencies(fib, maxLength: 30);
        Assert.True(HuffmanLengths.EncodedBits(fib, limited) >= HuffmanLengths.EncodedBits(fib, unlimited));
    }

    [Fact]
    public void PackageMerge_WithARoomyLimit_CostsWhatHuffmanCosts()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var weights = Enumerable.Range(0, random.Next(2, 40)).Select(_ => (long)random.Next(1, 1000)).ToArray();
            var huffman = HuffmanLengths.FromFrequencies(weights);
            var merged = PackageMerge.Lengths(weights, 15);
            Assert.Equal(HuffmanLengths.EncodedBits(weights, huffman), HuffmanLengths.EncodedBits(weights, merged));
        }
    }

    [Fact]
    public void PackageMerge_MatchesBruteForce_OnASmallLimitedCase()
    {
        // Weights 1,1,2,4,8 with at most 3 bits: Huffman would give 4,4,3,2,1 (cost 30). Limited optimum: 3,3,3,3,1
        // costs 1·3+1·3+2·3+4·3+8·1 = 32; 3,3,3,2,2 costs 3+3+6+8+16 = 36; so 3,3,3,3,1.
        var lengths = PackageMerge.Lengths([1, 1, 2, 4, 8], 3);
        Assert.Equal(new[] { 3, 3, 3, 3, 1 }, lengths);
    }
}
