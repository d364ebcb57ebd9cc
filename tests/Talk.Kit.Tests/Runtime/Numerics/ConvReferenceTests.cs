using Talk.Kit.Runtime.Numerics;

namespace Talk.Kit.Tests.Runtime.Numerics;

public sealed class ConvReferenceTests
{
    [Fact]
    public void Forward_MatchesAHandComputedConv_WithPaddingAndStride()
    {
        // x = 1..9 as a 3×3 image, one 2×2 filter [[1,0],[0,−1]], padding 1, stride 2 → outputs at (−1,−1), (−1,1), (1,−1), (1,1):
        // y[i,j] = x[2i−1, 2j−1] − x[2i, 2j] with out-of-range x = 0.
        var c = new ConvCase(1, 1, 1, 2, 2, 1, 1, 3, 3);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9], w = [1, 0, 0, -1], g = [1, 1, 1, 1];
        var (y, _, _) = ConvReference.Run(c, x, w, g);
        Assert.Equal([2, 2], new[] { c.OutHeight, c.OutWidth });
        Assert.Equal([-1.0, -3, -7, -4], y);    // (0 − 1), (0 − 3), (0 − 7), (5 − 9)
    }

    [Fact]
    public void Gradients_AreTheExactDerivativesOfSumYTimesG()
    {
        // L = Σ y·g is linear in W and in x, so L(W + e_k) − L(W) is ∂L/∂W_k exactly (up to double rounding).
        var c = new ConvCase(2, 4, 6, 3, 2, 1, 2, 5, 5);
        var random = new Random(3);
        // Multiples of 1/256 in [−1, 1]: adding 1 to one of them is exact in float.
        float[] Fill(int n) => Enumerable.Range(0, n).Select(_ => random.Next(-256, 257) / 256f).ToArray();
        float[] x = Fill(c.InputLength), w = Fill(c.WeightLength), g = Fill(c.OutputLength);
        double Loss(float[] xs, float[] ws) => ConvReference.Run(c, xs, ws, g).Output.Zip(g, (y, gy) => y * gy).Sum();
        var (_, dw, dx) = ConvReference.Run(c, x, w, g);
        double l0 = Loss(x, w);
        foreach (int k in new[] { 0, 7, c.WeightLength - 1 })
        {
            var shifted = (float[])w.Clone();
            shifted[k] += 1;
            Assert.Equal(Loss(x, shifted) - l0, dw[k], 1e-9);
        }
        foreach (int k in new[] { 0, 31, c.InputLength - 1 })
        {
            var shifted = (float[])x.Clone();
            shifted[k] += 1;
            Assert.Equal(Loss(shifted, w) - l0, dx[k], 1e-9);
        }
    }

    [Fact]
    public void MaxDiffOverScale_IsRelativeToTheLargestReferenceValue_AndNaNIsNeverSmall()
    {
        Assert.Equal(0.01, ConvReference.MaxDiffOverScale([1f, 10.1f], [1.0, 10.0]), 1e-6);   // 0.1 / 10
        Assert.Equal(0.1, ConvReference.MaxDiffOverScale([0.1f], [0.0]), 1e-7);              // all-zero reference: plain |Δ|
        Assert.True(double.IsNaN(ConvReference.MaxDiffOverScale([float.NaN, 1f], [0.5, 1.0])));
        Assert.True(double.IsNaN(ConvReference.MaxDiffOverScale([1f], [1.0, 2.0])));
    }

    [Fact]
    public void ImpossibleCases_AreRefusedWithTheReason()
    {
        Assert.Contains("groups (3) must divide", Assert.Throws<ArgumentException>(() => new ConvCase(1, 4, 6, 3, 1, 1, 3, 5, 5).Validate()).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => new ConvCase(1, 1, 1, 7, 1, 0, 1, 5, 5).Validate()).Message);
        Assert.All(ConvCase.Standard, c => c.Validate());
    }
}
