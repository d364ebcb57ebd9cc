namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// The two integer-only rounding primitives of gemmlowp's fixed-point arithmetic (used by TensorFlow Lite), as
/// described by Jacob et al., "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only
/// Inference", CVPR 2018, §2.2: a multiplication by a Q31 number that keeps the high half, and a division by a power
/// of two, each rounding to nearest. No floating point anywhere. Two roundings in a row can differ from rounding
/// M·acc once: e.g. M = 2^−10, acc = 1535: 1535/2 = 767.5 → 768, then 768/512 = 1.5 → 2, where 1535/1024 = 1.499 → 1
/// (TensorFlow Lite later added a single-rounding variant for this reason).
/// </summary>
public static class FixedPointMath
{
    /// <summary>
    /// round(a·b / 2^31): the product of an integer and a Q31 fraction b/2^31 ("doubling" because the 64-bit product
    /// a·b is shifted by 31, not 32). Ties go up (1.5 → 2, −1.5 → −1): the nudge is +½ for a positive product and
    /// −½ + 2^−31 for a negative one, then division truncates toward zero. The one overflow, (−2^31)·(−2^31),
    /// saturates to 2^31 − 1.
    /// </summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue)
            return int.MaxValue;
        long product = (long)a * b;
        long nudge = product >= 0 ? 1L << 30 : 1 - (1L << 30); // ≈ ±½ in units of 2^31, so truncation rounds to nearest
        return (int)((product + nudge) / (1L << 31));           // C# division truncates toward zero, as C++ does
    }

    /// <summary>round(x / 2^exponent), ties away from zero, with shifts and masks only (0 ≤ exponent ≤ 31).</summary>
    public static int RoundingDivideByPowerOfTwo(int x, int exponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exponent, 31);
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;                          // the bits shifted out (x's two's complement low bits)
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);     // half of 2^exponent; a negative tie must not round up
        return (x >> exponent) + (remainder > threshold ? 1 : 0); // >> floors; add 1 when the fraction exceeds ½
    }
}
