namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// A real multiplier M = s_x·s_w / s_y as integers: M = 2^−Shift · M0 / 2^31 with M0 ∈ [2^30, 2^31), i.e. the
/// fraction M0/2^31 ∈ [0.5, 1) held in Q31 (Jacob et al. 2018, eq. 6: M = 2^−n·M0). The requantization
/// y = M·acc is then an integer multiply-high and a rounding right shift (<see cref="Apply"/>).
/// </summary>
/// <param name="Real">The multiplier asked for.</param>
/// <param name="M0">Q31 mantissa: M0/2^31 ∈ [0.5, 1).</param>
/// <param name="Shift">n: the right shift (negative for M ≥ 1, a left shift).</param>
public readonly record struct FixedPointMultiplier(double Real, int M0, int Shift)
{
    /// <summary>Decomposes M &gt; 0: M = f·2^−n with f ∈ [0.5, 1), M0 = round(f·2^31) (a round-up to 2^31 becomes 2^30, n − 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">M not positive and finite, or outside [2^−32, 2^31) (no 32-bit shift represents it).</exception>
    public static FixedPointMultiplier From(double real)
    {
        if (!(real > 0) || !double.IsFinite(real))
            throw new ArgumentOutOfRangeException(nameof(real), real, "A requantization multiplier s_x·s_w/s_y must be positive and finite.");
        int exponent = Math.ILogB(real) + 1;                 // real = f·2^exponent, f ∈ [0.5, 1)
        double fraction = Math.ScaleB(real, -exponent);
        long m0 = (long)Math.Round(fraction * (1L << 31), MidpointRounding.ToEven);
        if (m0 == 1L << 31)                                  // f rounded up to 1.0: write it as 0.5·2^(exponent+1)
        {
            m0 = 1L << 30;
            exponent++;
        }
        int shift = -exponent;
        if (shift > 31 || shift < -31)
            throw new ArgumentOutOfRangeException(nameof(real), real, $"Multiplier {real:G6} needs a shift of {shift}; only −31…31 fit 32-bit arithmetic.");
        return new FixedPointMultiplier(real, (int)m0, shift);
    }

    /// <summary>The value the integers represent: M0 · 2^(−31−Shift) (equals <see cref="Real"/> to ~2^−31 relative).</summary>
    public double Value => Math.ScaleB(M0, -31 - Shift);

    /// <summary>
    /// round(M·acc) with integers only (gemmlowp/TFLite MultiplyByQuantizedMultiplier): a left shift when M ≥ 1, the
    /// Q31 multiply-high (rounded, ties up), then the rounding right shift by n (ties away from zero). Two roundings:
    /// near a tie the result can be one above round(M·acc) (see <see cref="FixedPointMath"/>).
    /// </summary>
    public int Apply(int accumulator)
    {
        int left = Math.Max(-Shift, 0), right = Math.Max(Shift, 0);
        long shifted = (long)accumulator << left;
        int x = (int)Math.Clamp(shifted, int.MinValue, int.MaxValue);
        return FixedPointMath.RoundingDivideByPowerOfTwo(FixedPointMath.SaturatingRoundingDoublingHighMul(x, M0), right);
    }

    /// <summary>"M = 0.000976562 = 2^-9 · 1073741824/2^31".</summary>
    public override string ToString() => $"M = {Real:G6} = 2^{-Shift} · {M0}/2^31";
}
