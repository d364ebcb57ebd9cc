using Talk.Kit.Fusion;

namespace Talk.Kit.Tests.Fusion;

public sealed class ShapeAlgebraTests
{
    [Fact]
    public void NchwToNhwcAndBack_ComposesToTheIdentity()
    {
        long[] toNhwc = [0, 2, 3, 1], toNchw = [0, 3, 1, 2];

        Assert.Equal([0L, 1, 2, 3], ShapeAlgebra.Compose(toNhwc, toNchw));
        Assert.True(ShapeAlgebra.IsIdentity(ShapeAlgebra.Compose(toNhwc, toNchw)));
    }

    [Fact]
    public void Compose_IsTransposeThenTranspose()
    {
        // x[2,3,4,5] → perm [0,2,3,1] → [2,4,5,3] → perm [0,2,1,3] → [2,5,4,3] = x by [0,3,2,1]
        Assert.Equal([0L, 3, 2, 1], ShapeAlgebra.Compose([0, 2, 3, 1], [0, 2, 1, 3]));
    }

    [Theory]
    [InlineData(new long[] { 0, 1, 2 }, true)]
    [InlineData(new long[] { 2, 0, 1 }, true)]
    [InlineData(new long[] { 0, 0, 1 }, false)]
    [InlineData(new long[] { 0, 3, 1 }, false)]
    public void IsPermutation_EachAxisOnce(long[] perm, bool expected) => Assert.Equal(expected, ShapeAlgebra.IsPermutation(perm));

    [Theory]
    [InlineData(new long[] { 0, -1, 4 }, false, new long[] { 2, 3, 4 })]
    [InlineData(new long[] { -1 }, false, new long[] { 24 })]
    [InlineData(new long[] { 0, 12 }, false, new long[] { 2, 12 })]
    [InlineData(new long[] { 8, 0, 3 }, true, null)]         // allowzero: a literal 0 does not fit 24 elements
    [InlineData(new long[] { -1, -1 }, false, null)]        // two −1
    [InlineData(new long[] { 5, -1 }, false, null)]         // 24 is not a multiple of 5
    public void ReshapeOutput_ResolvesZerosAndMinusOne(long[] target, bool allowZero, long[]? expected) =>
        Assert.Equal(expected, ShapeAlgebra.ReshapeOutput(target, [2, 3, 4], allowZero));

    [Theory]
    [InlineData(new long[] { -1, 4, 6 }, new long[] { -1, 24 }, new long[] { -1, 4, 6 })]  // no 0: unchanged
    [InlineData(new long[] { 0, 0, 3, 4 }, new long[] { 0, 2, 12 }, new long[] { 0, 2, 3, 4 })] // 0 under a number: the number; under a copying 0: stays
    [InlineData(new long[] { 0, -1 }, new long[] { -1, 24 }, null)]           // copies an inferred dimension
    [InlineData(new long[] { 0, 0, 0 }, new long[] { 6, 4 }, null)]           // the first has no axis 2
    [InlineData(new long[] { 0, 4 }, null, null)]                              // the first's target is not constant
    public void ReadThrough_ResolvesTheSecondTargetsZeros(long[] second, long[]? first, long[]? expected) =>
        Assert.Equal(expected, ShapeAlgebra.ReadThrough(second, false, first, false));

    [Fact]
    public void ReadThrough_ALiteralZeroOfTheFirst_CannotBeCopied() =>
        Assert.Null(ShapeAlgebra.ReadThrough([0, 4], false, [0, 4], firstAllowZero: true));
}
