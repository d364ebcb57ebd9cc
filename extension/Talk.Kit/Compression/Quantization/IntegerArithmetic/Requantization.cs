namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// From int32 accumulator to output code (Jacob et al. 2018, eq. 7): q_y = clamp(z_y + M·acc, QMin, QMax) where
/// M = s_x·s_w/s_y is applied as the fixed-point 2^−n·M0, so the whole step is integer arithmetic.
/// </summary>
public static class Requantization
{
    /// <summary>The multiplier of a (per-tensor or per-channel) weight scale: s_x·s_w/s_y, in double as the real number it is.</summary>
    public static FixedPointMultiplier Multiplier(QuantParams x, QuantParams w, QuantParams y) =>
        FixedPointMultiplier.From((double)x.Scale * w.Scale / y.Scale);

    /// <summary>q_y = clamp(z_y + round(M·acc), QMin, QMax), integers only.</summary>
    public static int Requantize(int accumulator, FixedPointMultiplier multiplier, QuantParams y) =>
        Math.Clamp(y.ZeroPoint + multiplier.Apply(accumulator), y.Type.QMin, y.Type.QMax);
}
