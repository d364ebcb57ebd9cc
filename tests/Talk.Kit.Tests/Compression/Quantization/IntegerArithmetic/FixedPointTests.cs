using Talk.Kit.Compression.Quantization.IntegerArithmetic;

namespace Talk.Kit.Tests.Compression.Quantization.IntegerArithmetic;

public sealed class FixedPointTests
{
    [Theory]
    // M = 2^−n · M0/2^31 with M0/2^31 ∈ [0.5, 1):
    [InlineData(0.0009765625, 1L << 30, 9)]   // 2^−10 = 2^−9 · 0.5
    [InlineData(0.75, 1610612736L, 0)]        // 0.75·2^31
    [InlineData(0.3, 1288490189L, 1)]         // 0.3 = 2^−1 · 0.6; 0.6·2^31 = 1288490188.8 → 1288490189
    [InlineData(1.5, 1610612736L, -1)]        // M ≥ 1: 2^1 · 0.75, a left shift
    [InlineData(0.999999999999, 1L << 30, -1)] // f rounds up to 1.0 → written as 0.5·2^1
    public void Decomposition_MatchesHandValues(double real, long m0, int shift)
    {
        var m = FixedPointMultiplier.From(real);
        Assert.Equal(m0, m.M0);
        Assert.Equal(shift, m.Shift);
        Assert.Equal(real, m.Value, real * 1e-9); // Q31 keeps ~9 significant digits
    }

    [Fact]
    public void PowerOfTwo_IsExact()
    {
        var m = FixedPointMultiplier.From(0.0009765625);
        Assert.Equal(0.0009765625, m.Value); // 2^30 · 2^(−31−9) = 2^−10 exactly
        Assert.Equal("M = 0.000976562 = 2^-9 · 1073741824/2^31", m.ToString());
    }

    [Theory]
    [InlineData(1536, 2)]   // 1536/1024 = 1.5 → ties away from zero → 2
    [InlineData(-1536, -2)]
    [InlineData(1535, 2)]   // 1.499… yet 2: 1535·½ = 767.5 → 768 first, then 768/512 = 1.5 → 2 (double rounding)
    [InlineData(1534, 1)]   // 767 → 767/512 = 1.498 → 1
    [InlineData(2560, 3)]   // 2.5 → 3 (half to even would give 2)
    [InlineData(0, 0)]
    public void Apply_RoundsTwiceAsGemmlowpDoes(int accumulator, int expected) =>
        Assert.Equal(expected, FixedPointMultiplier.From(0.0009765625).Apply(accumulator));

    [Theory]
    [InlineData(5, 1, 3)]
    [InlineData(-5, 1, -3)]
    [InlineData(4, 1, 2)]
    [InlineData(7, 2, 2)]    // 1.75
    [InlineData(-6, 2, -2)]  // −1.5 → away from zero
    [InlineData(-5, 2, -1)]  // −1.25
    [InlineData(int.MaxValue, 31, 1)]
    public void RoundingDivideByPowerOfTwo_MatchesHandValues(int x, int exponent, int expected) =>
        Assert.Equal(expected, FixedPointMath.RoundingDivideByPowerOfTwo(x, exponent));

    [Theory]
    [InlineData(int.MinValue, int.MinValue, int.MaxValue)] // the one overflow saturates
    [InlineData(1 << 30, 1 << 30, 1 << 29)]                 // 2^60 / 2^31
    [InlineData(3, 1 << 30, 2)]                             // 1.5 → 2
    [InlineData(-3, 1 << 30, -1)]                           // −1.5 → −1: ties go up
    [InlineData(-5, 1 << 30, -2)]                           // −2.5 → −2
    public void DoublingHighMul_MatchesHandValues(int a, int b, int expected) =>
        Assert.Equal(expected, FixedPointMath.SaturatingRoundingDoublingHighMul(a, b));

    [Fact]
    public void Apply_AgreesWithRealArithmetic_ToOneUnit_AndAlmostAlwaysExactly()
    {
        // The double rounding differs from round(M·acc) only when the first rounding lands exactly on a tie of the
        // second: roughly 1 in 2^(n+1) values. Layers' M = s_x·s_w/s_y is typically 1e-4…1e-2, so n ≈ 6…13.
        var random = new Random(2018);
        int exact = 0, n = 100_000;
        for (int i = 0; i < n; i++)
        {
            double real = Math.Pow(10, -4 + 2 * random.NextDouble()); // 1e-4 … 1e-2
            int acc = random.Next(-1 << 20, 1 << 20);
            var m = FixedPointMultiplier.From(real);
            double ideal = Math.Round(m.Value * acc, MidpointRounding.AwayFromZero);
            int got = m.Apply(acc);
            Assert.InRange(got - ideal, -1, 1);
            if (got == ideal) exact++;
        }
        Assert.True(exact >= 0.99 * n, $"{n - exact} of {n} differ from round(M·acc)");
    }

    [Fact]
    public void NonPositiveMultiplier_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointMultiplier.From(0));
}
