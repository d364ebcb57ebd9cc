namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// What calibration keeps of one tensor: running min and max, the number of values, and (for Percentile and
/// Entropy) a bounded histogram of |x|. Never the values themselves: ResNet-18 at 224×224 produces ~2.3 million
/// activations per image, ~1.2 billion over 512 images.
/// </summary>
public sealed class TensorStatistics
{
    /// <param name="name">Tensor name in the graph.</param>
    /// <param name="bins">Histogram bins, or null for extremes only (MinMax).</param>
    public TensorStatistics(string name, int? bins)
    {
        Name = name;
        Histogram = bins is { } b ? new AbsHistogram(b) : null;
    }

    public string Name { get; }

    /// <summary>Smallest value seen (+∞ before any).</summary>
    public float Min { get; private set; } = float.PositiveInfinity;

    /// <summary>Largest value seen (−∞ before any).</summary>
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>Values seen.</summary>
    public long Count { get; private set; }

    /// <summary>Histogram of |x|, or null when only the extremes were collected.</summary>
    public AbsHistogram? Histogram { get; }

    /// <summary>The observed range [Min, Max] ([0, 0] before any value).</summary>
    public TensorRange Range => Count == 0 ? new(0, 0) : new(Min, Max);

    /// <summary>Folds in one batch of the tensor's values.</summary>
    /// <exception cref="QuantizationException">A value is NaN or infinite: no finite range can hold it.</exception>
    public void Add(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        bool nan = false;
        foreach (float v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
            nan |= float.IsNaN(v); // NaN fails every comparison, so it would slip past min and max
        }
        if (nan || !float.IsFinite(min) || !float.IsFinite(max))
            throw new QuantizationException(
                $"Tensor '{Name}' holds NaN or infinite values on the calibration data, so it has no finite range to quantize. " +
                "Check the inputs (normalized like the training data?) and the model (does it run correctly in fp32?).");
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
        Count += values.Length;
        Histogram?.Add(values, Math.Max(Math.Abs(min), Math.Abs(max)));
    }

    public override string ToString() => $"{Name}: {Range}, {Count:N0} values";
}
