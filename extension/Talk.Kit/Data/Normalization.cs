namespace Talk.Kit.Data;

/// <summary>
/// The kit's one input normalization for Fashion-MNIST: x = (p/255 − mean) / std for a pixel p in 0..255.
/// Training, export checks, evaluation and calibration all call this, so a model always sees the inputs it
/// was trained on.
/// </summary>
/// <remarks>
/// Mean and std are those of p/255 over every pixel of the full training split (60,000 × 28 × 28 =
/// 47,040,000 pixels of train-images-idx3-ubyte from the Debian package dataset-fashion-mnist), computed
/// exactly from the 256-bin pixel histogram: mean = Σp / (255·N) = 0.2860405969887955, population
/// std = √(Σp²/(255²·N) − mean²) = 0.3530242445149226 (measured 2026-11-26; the sample std differs only in
/// the 9th digit). The test <c>NormalizationTests</c> recomputes them when the full set is installed.
/// </remarks>
public static class Normalization
{
    /// <summary>Mean of pixel/255 over the Fashion-MNIST training split (0.2860405969887955, rounded to float).</summary>
    public const float Mean = 0.2860406f;

    /// <summary>Population standard deviation of pixel/255 over the training split (0.3530242445149226, rounded to float).</summary>
    public const float Std = 0.3530242f;

    /// <summary>Every byte's normalized value, computed once by <see cref="Normalize(byte)"/>: the bulk path is a table lookup.</summary>
    private static readonly float[] Table = Enumerable.Range(0, 256).Select(p => Normalize((byte)p)).ToArray();

    /// <summary>(p/255 − mean) / std, in float arithmetic: 0 → −0.8103, 255 → 2.0224.</summary>
    public static float Normalize(byte pixel) => (pixel / 255f - Mean) / Std;

    /// <summary>Normalizes pixels into <paramref name="destination"/> (same length); bit-identical to the scalar form.</summary>
    /// <exception cref="ArgumentException">The destination's length differs from the pixels'.</exception>
    public static void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        if (destination.Length != pixels.Length)
            throw new ArgumentException($"destination holds {destination.Length} floats, pixels hold {pixels.Length}; they must be equal", nameof(destination));
        var table = Table;
        for (int i = 0; i < pixels.Length; i++)
            destination[i] = table[pixels[i]];
    }
}
