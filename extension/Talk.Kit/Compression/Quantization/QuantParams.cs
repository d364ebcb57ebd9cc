namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Affine quantization of one tensor (or one channel): q = clamp(round(x / Scale) + ZeroPoint, QMin, QMax) and
/// x̂ = (q − ZeroPoint)·Scale — ONNX QuantizeLinear/DequantizeLinear semantics (round half to even).
/// </summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint, QuantType Type)
{
    /// <summary>
    /// Parameters for a range: asymmetric maps [min, max] (stretched to include 0) onto [QMin, QMax];
    /// symmetric maps [−absmax, absmax] with zero point 0 (signed) or 128 (uint8).
    /// A degenerate range (all zeros) gets scale 1, so every value quantizes to the zero point without dividing by 0.
    /// </summary>
    public static QuantParams ForRange(TensorRange range, QuantType type, bool symmetric)
    {
        ArgumentNullException.ThrowIfNull(type);
        var r = range.WithZero();
        if (symmetric)
        {
            // Signed: scale = absmax / QMax (int8: /127, leaving −128 unused so the grid is symmetric).
            int zero = type.IsSigned ? 0 : (type.QMin + type.QMax + 1) / 2;
            float half = type.IsSigned ? type.QMax : (type.QMax - type.QMin) / 2f;
            float scale = r.AbsMax / half;
            return new(scale > 0 ? scale : 1f, zero, type);
        }
        float span = r.Max - r.Min;
        if (span <= 0)
            return new(1f, type.IsSigned ? 0 : type.QMin, type);
        float s = span / (type.QMax - type.QMin);
        int zp = (int)Math.Clamp(Math.Round(type.QMin - r.Min / s, MidpointRounding.ToEven), type.QMin, type.QMax);
        return new(s, zp, type);
    }

    /// <summary>q = clamp(round_half_even(x / Scale) + ZeroPoint, QMin, QMax).</summary>
    public int Quantize(float x)
    {
        double q = Math.Round(x / (double)Scale, MidpointRounding.ToEven) + ZeroPoint;
        return (int)Math.Clamp(q, Type.QMin, Type.QMax);
    }

    /// <summary>x̂ = (q − ZeroPoint)·Scale.</summary>
    public float Dequantize(int q) => (q - ZeroPoint) * Scale;

    /// <summary>x → nearest grid point (quantize then dequantize): what a QDQ pair does to a tensor.</summary>
    public float FakeQuantize(float x) => Dequantize(Quantize(x));

    public override string ToString() => $"scale {Scale:G4}, zero point {ZeroPoint} ({Type})";
}
