namespace Talk.Kit.Compression.Quantization;

/// <summary>The real-valued range [Min, Max] a tensor is mapped onto a grid for (from calibration, QAT, or the weights themselves).</summary>
public readonly record struct TensorRange(float Min, float Max)
{
    /// <summary>The smallest range holding every value (empty input gives [0, 0]).</summary>
    public static TensorRange Of(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            return new(0, 0);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new(min, max);
    }

    /// <summary>Largest magnitude: the symmetric range is [−AbsMax, AbsMax].</summary>
    public float AbsMax => Math.Max(Math.Abs(Min), Math.Abs(Max));

    /// <summary>The range stretched to include zero, so that 0.0 is exactly representable (zero padding, ReLU).</summary>
    public TensorRange WithZero() => new(Math.Min(Min, 0f), Math.Max(Max, 0f));

    public override string ToString() => $"[{Min:G4}, {Max:G4}]";
}
