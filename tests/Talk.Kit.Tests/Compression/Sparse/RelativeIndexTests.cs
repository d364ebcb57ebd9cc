using Talk.Kit.Compression.Sparse;

namespace Talk.Kit.Tests.Compression.Sparse;

public class RelativeIndexTests
{
    [Fact]
    public void PaperFigure2_AGapOfMoreThan8_With3BitIndex_InsertsAFillerZero()
    {
        // Han et al. 2016, Fig. 2: 16 weights, non-zeros 3.4 at 1, 0.9 at 4, 1.7 at 15; 3-bit index.
        var dense = new float[16];
        dense[1] = 3.4f; dense[4] = 0.9f; dense[15] = 1.7f;

        var sparse = RelativeIndex.Encode(dense, indexBits: 3);

        // Stored at 1, 4, 12 (filler: 4 → 15 is a difference of 11 > 8) and 15.
        Assert.Equal(new[] { 1, 2, 7, 2 }, sparse.Gaps);
        Assert.Equal(new[] { 3.4f, 0.9f, 0f, 1.7f }, sparse.Values);
        Assert.Equal(new[] { 1, 4, 12, 15 }, RelativeIndex.Positions(sparse.Gaps.ToArray(), 16, 3));
        Assert.Equal(1, sparse.FillerCount);
        Assert.Equal(dense, RelativeIndex.Decode(sparse));
    }

    [Fact]
    public void AGapOfExactly2PowBMinus1_NeedsNoFiller()
    {
        var dense = new float[9];
        dense[7] = 1f; // 7 zeros first: the largest 3-bit gap
        Assert.Equal(new[] { 7 }, RelativeIndex.Encode(dense, 3).Gaps);
        dense[7] = 0; dense[8] = 1f; // 8 zeros: one filler at 7, then gap 0
        Assert.Equal(new[] { 7, 0 }, RelativeIndex.Encode(dense, 3).Gaps);
    }

    [Theory]
    [InlineData(0.5, 5)]
    [InlineData(0.08, 5)]
    [InlineData(0.01, 3)]
    [InlineData(0.3, 8)]
    public void RandomSparseArrays_RoundTripExactly(double density, int indexBits)
    {
        var random = new Random(42);
        var dense = Enumerable.Range(0, 10_000).Select(_ => random.NextDouble() < density ? (float)random.NextDouble() - 0.5f : 0f).ToArray();

        var sparse = RelativeIndex.Encode(dense, indexBits);

        Assert.Equal(dense, RelativeIndex.Decode(sparse));
        Assert.Equal(dense.Count(w => w != 0), sparse.EntryCount - sparse.FillerCount);
        Assert.All(sparse.Gaps, g => Assert.InRange(g, 0, (1 << indexBits) - 1));
    }

    [Fact]
    public void AllZero_AndEmpty_HaveNoEntries()
    {
        Assert.Equal(0, RelativeIndex.Encode(new float[100], 5).EntryCount);
        Assert.Equal(new float[100], RelativeIndex.Decode(RelativeIndex.Encode(new float[100], 5)));
        Assert.Equal(0, RelativeIndex.Encode([], 5).EntryCount);
    }

    [Fact]
    public void CorruptGaps_ThatRunPastTheEnd_AreRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => RelativeIndex.Positions([7, 7], 10, 3));
        Assert.Contains("past the end", e.Message);
        Assert.Throws<InvalidDataException>(() => RelativeIndex.Positions([8], 10, 3));
    }
}
