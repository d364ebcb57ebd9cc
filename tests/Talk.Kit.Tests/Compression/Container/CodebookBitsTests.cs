using Talk.Kit.Compression.Container;

namespace Talk.Kit.Tests.Compression.Container;

/// <summary>The cap on weight bits: a codebook (32 bits a centroid) may cost no more than the indices into it (b bits a non-zero).</summary>
public class CodebookBitsTests
{
    [Theory]
    [InlineData(8, 100_000, 8)] // big layers keep the paper's bits
    [InlineData(5, 3_840, 5)]
    [InlineData(8, 1_024, 8)]   // 32·256 = 8·1,024: exactly pays
    [InlineData(8, 1_023, 7)]
    [InlineData(8, 288, 5)]     // LeNet-5 conv2 at 12 % kept: 32·32 = 1,024 ≤ 5·288 = 1,440, while 6 bits: 2,048 > 1,728
    [InlineData(8, 99, 3)]      // LeNet-5 conv1 at 66 % kept: 256 ≤ 297, while 4 bits: 512 > 396
    [InlineData(5, 160, 4)]     // a 10×84 classifier at 19 % kept
    [InlineData(5, 64, 2)]      // 2 bits: 128 ≤ 128
    [InlineData(5, 63, 0)]      // not even 1 bit pays: stays raw
    [InlineData(3, 0, 0)]
    public void Cap_GivesTheLargestBitsWhoseCodebookCostsNoMoreThanItsIndices(int bits, long nonZeros, int expected)
    {
        Assert.Equal(expected, CodebookBits.Cap(bits, nonZeros));
        if (expected > 0) Assert.True(32L << expected <= expected * nonZeros);
        if (expected < bits) Assert.True(32L << (expected + 1) > (expected + 1) * nonZeros);
    }

    [Fact]
    public void ForModel_CapsASmallLayersBits_AndKeepsATensorWithTooFewNonZerosRaw()
    {
        var w = GemmNet.Weights(); // W1 [32, 64] keeps 308 non-zeros, W2 [10, 32] keeps 160
        Assert.Equal(new[] { LayerCompression.Fc("W1"), LayerCompression.Fc("W2") with { WeightBits = 4 } },
            CompressionSettings.ForModel(GemmNet.Build(w)).Layers);

        var sparse = w with { W2 = GemmNet.Pruned(w.W2, keep: 0.19) }; // 61 non-zeros
        Assert.Equal(new[] { LayerCompression.Fc("W1") }, CompressionSettings.ForModel(GemmNet.Build(sparse)).Layers);
    }
}
