namespace Talk.Kit.Compression.Quantization;

/// <summary>Integer codes of a constant tensor and the parameters that decode them.</summary>
/// <param name="Codes">Row-major codes, same shape as the float tensor.</param>
/// <param name="Params">One per channel along <paramref name="Axis"/>, or one for the whole tensor.</param>
internal sealed record QuantizedWeight(int[] Codes, QuantParams[] Params, int? Axis);

/// <summary>
/// Quantizes weights and biases ahead of time (they are constants, so no calibration is needed):
/// weights symmetric, w ≈ s_c·q with s_c = max|W[c]| / QMax per channel c (or per tensor);
/// bias int32 with scale s_x·s_w[c] and zero point 0, so the integer accumulator Σ q_x·q_w + q_b is in one unit
/// (the convention of ONNX QLinearConv and of ONNX Runtime's QGemm).
/// </summary>
internal static class WeightQuantizer
{
    /// <summary>Weights → codes, symmetric per channel along <paramref name="axis"/> (null: per tensor).</summary>
    /// <param name="values">Row-major float weights.</param>
    /// <param name="dims">Their shape.</param>
    public static QuantizedWeight Weights(float[] values, IReadOnlyList<long> dims, int? axis, QuantType type)
    {
        if (axis is not { } a)
        {
            var single = QuantParams.ForRange(TensorRange.Of(values), type, symmetric: true);
            return new(values.Select(single.Quantize).ToArray(), [single], null);
        }
        // Flat index i belongs to channel (i / inner) % channels, inner = product of the dims after the axis.
        int channels = (int)dims[a];
        long inner = 1;
        for (int d = a + 1; d < dims.Count; d++) inner *= dims[d];
        var ranges = new (float Min, float Max)[channels];
        Array.Fill(ranges, (0f, 0f));
        for (int i = 0; i < values.Length; i++)
        {
            int c = (int)(i / inner % channels);
            ranges[c] = (Math.Min(ranges[c].Min, values[i]), Math.Max(ranges[c].Max, values[i]));
        }
        var parameters = ranges.Select(r => QuantParams.ForRange(new TensorRange(r.Min, r.Max), type, symmetric: true)).ToArray();
        var codes = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
            codes[i] = parameters[(int)(i / inner % channels)].Quantize(values[i]);
        return new(codes, parameters, a);
    }

    /// <summary>Bias → int32 codes q_b[c] = round(b[c] / (s_x·s_w[c])); the scales are returned beside them.</summary>
    /// <param name="bias">Float bias, one per output channel.</param>
    /// <param name="inputScale">s_x, the scale of the activation the node reads.</param>
    /// <param name="weight">The node's quantized weight (one or per-channel scales).</param>
    public static (int[] Codes, float[] Scales) Bias(float[] bias, float inputScale, QuantizedWeight weight)
    {
        var codes = new int[bias.Length];
        var scales = new float[weight.Params.Length];
        for (int c = 0; c < scales.Length; c++)
            scales[c] = inputScale * weight.Params[c].Scale;
        for (int c = 0; c < bias.Length; c++)
        {
            double q = Math.Round(bias[c] / (double)scales[weight.Params.Length == 1 ? 0 : c], MidpointRounding.ToEven);
            codes[c] = (int)Math.Clamp(q, int.MinValue, int.MaxValue);
        }
        return (codes, scales);
    }
}
