namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// One quantized convolution layer, as QLinearConv sees it: x codes (uint8 or int8) with (s_x, z_x), int8 weight
/// codes per tensor or per output channel with (s_w, z_w), an int32 bias at scale s_x·s_w and zero point 0, and the
/// output's (s_y, z_y). Codes are held as int for clarity; their types are in the parameters.
/// </summary>
/// <param name="X">Input codes, NCHW [N, C, H, W], row-major.</param>
/// <param name="W">Weight codes [M, C, kh, kw].</param>
/// <param name="WParams">One entry (per tensor) or M entries (per output channel).</param>
/// <param name="Bias">M int32 codes, or null.</param>
public sealed record QuantizedConv(int[] X, long[] XShape, QuantParams XParams, int[] W, long[] WShape, IReadOnlyList<QuantParams> WParams,
    int[]? Bias, QuantParams YParams, ConvGeometry Geometry)
{
    public int OutChannels => (int)WShape[0];

    /// <summary>NCHW output shape.</summary>
    public long[] YShape => [XShape[0], WShape[0], Geometry.OutputSize(XShape[2], WShape[2]), Geometry.OutputSize(XShape[3], WShape[3])];

    /// <summary>Weight parameters of output channel m.</summary>
    public QuantParams WeightParams(int m) => WParams.Count == 1 ? WParams[0] : WParams[m];

    /// <summary>
    /// Quantizes a float layer the usual way: x asymmetric over its range, weights symmetric int8 (per output channel or
    /// per tensor), bias round(b / (s_x·s_w)) in int32, and y asymmetric over the float output's range.
    /// </summary>
    /// <param name="activations">Type of x and y codes: <see cref="QuantType.UInt8"/> or <see cref="QuantType.Int8"/>.</param>
    /// <param name="weights">Weight grid: int8 (default), or <c>QuantType.SignedBits(7)</c> — ONNX Runtime's "reduce_range",
    /// which keeps uint8×int8 pair sums within int16 on CPUs without VNNI (255·63·2 = 32,130 ≤ 32,767).</param>
    public static QuantizedConv FromFloat(float[] x, long[] xShape, float[] w, long[] wShape, float[]? bias, ConvGeometry geometry,
        QuantType activations, bool perChannel, QuantType? weights = null)
    {
        Check(xShape, wShape);
        var wType = weights ?? QuantType.Int8;
        var xParams = QuantParams.ForRange(TensorRange.Of(x), activations, symmetric: false);
        int m = (int)wShape[0], perFilter = (int)(w.Length / m);
        var wParams = perChannel
            ? Enumerable.Range(0, m).Select(c => QuantParams.ForRange(TensorRange.Of(w.AsSpan(c * perFilter, perFilter)), wType, symmetric: true)).ToArray()
            : [QuantParams.ForRange(TensorRange.Of(w), wType, symmetric: true)];
        int[] wCodes = new int[w.Length];
        for (int i = 0; i < w.Length; i++) wCodes[i] = wParams[perChannel ? i / perFilter : 0].Quantize(w[i]);
        int[]? biasCodes = bias?.Select((b, c) => QuantizeBias(b, xParams.Scale, wParams[perChannel ? c : 0].Scale)).ToArray();
        var (y, _) = FloatConv.Run(x, xShape, w, wShape, bias, geometry);
        var yParams = QuantParams.ForRange(TensorRange.Of(y), activations, symmetric: false);
        return new QuantizedConv(x.Select(xParams.Quantize).ToArray(), xShape, xParams, wCodes, wShape, wParams, biasCodes, yParams, geometry);
    }

    /// <summary>Bias in int32 at scale s_x·s_w, zero point 0 (ONNX QLinearConv's B), so it adds straight into the accumulator.</summary>
    internal static int QuantizeBias(float b, float xScale, float wScale) =>
        (int)Math.Clamp(Math.Round(b / ((double)xScale * wScale), MidpointRounding.ToEven), int.MinValue, int.MaxValue);

    internal static void Check(long[] xShape, long[] wShape)
    {
        if (xShape.Length != 4 || wShape.Length != 4)
            throw new ArgumentException($"A 2-D convolution takes x [N,C,H,W] and w [M,C,kh,kw]; got x [{string.Join(",", xShape)}], w [{string.Join(",", wShape)}].");
        if (xShape[1] != wShape[1])
            throw new ArgumentException($"x has {xShape[1]} channels but the weights expect {wShape[1]} (one group only).");
    }
}
