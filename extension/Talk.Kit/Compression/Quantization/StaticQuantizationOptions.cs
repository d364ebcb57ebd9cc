namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// How <see cref="StaticQuantizer"/> quantizes: weights symmetric int8 (or fewer bits stored in int8), activations
/// asymmetric uint8 or int8 from calibrated ranges, bias int32. Defaults are ONNX Runtime's usual CPU recipe (U8S8).
/// </summary>
public sealed record StaticQuantizationOptions
{
    /// <summary>Op types the static quantizer knows. Conv, Gemm and MatMul (with a constant weight) are where int8 starts;
    /// the others carry int8 between them: pass-through ops keep their input's scale, Add and pools get their own,
    /// Relu is folded into the quantization of its input's producer (range [0, max]).</summary>
    public static IReadOnlySet<string> SupportedOps { get; } = new HashSet<string>
    {
        "Conv", "Gemm", "MatMul",                                 // anchors: int8 weights, int32 bias
        "Add", "AveragePool", "GlobalAveragePool",                // own output scale: QLinearAdd, QLinearAveragePool, QLinearGlobalAveragePool
        "MaxPool", "Flatten", "Reshape", "Transpose",             // pass-through: same scale in and out, ORT drops the Q/DQ around them
        "Relu",                                                   // folded: Q with zero point = QMin clips at 0, so ORT removes the Relu
    };

    /// <summary>Anchor op types: the ones with weights.</summary>
    public static IReadOnlySet<string> AnchorOps { get; } = new HashSet<string> { "Conv", "Gemm", "MatMul" };

    /// <summary>One scale per output channel (Conv axis 0, Gemm transB=1 axis 0, MatMul/Gemm transB=0 axis 1); else one per tensor.</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>Activation grid: <see cref="QuantType.UInt8"/> (default, U8S8 kernels) or <see cref="QuantType.Int8"/>.</summary>
    public QuantType ActivationType { get; init; } = QuantType.UInt8;

    /// <summary>Weight bits, 2–8 (codes stored in int8). 7 is ONNX Runtime's "reduce_range" against int16 saturation on AVX2 without VNNI; QAT uses 4.</summary>
    public int WeightBits { get; init; } = 8;

    /// <summary>Node names left in fp32 (e.g. a 1-channel first conv that is slower in int8).</summary>
    public IReadOnlySet<string> KeepFp32 { get; init; } = new HashSet<string>();

    /// <summary>Op types to quantize (a subset of <see cref="SupportedOps"/>); default: all of them.</summary>
    public IReadOnlySet<string> QuantizeOps { get; init; } = SupportedOps;

    /// <summary>
    /// The defaults, with 7-bit weights when this CPU has no 8-bit dot-product instructions (VNNI): there ONNX Runtime's
    /// U8S8 kernels use VPMADDUBSW, whose int16 sum of two products u8·s8 saturates at 32,767 (255·127·2 = 64,770), and
    /// 7-bit weights keep it below (ORT's quantization tool calls this "reduce_range"). Measured here (AVX2, no VNNI):
    /// 8-bit weights lost cosine 0.99997 → 0.990 at ORT_ENABLE_ALL on a small conv net; 7-bit kept 0.99994.
    /// </summary>
    public static StaticQuantizationOptions ForThisMachine() =>
        new() { WeightBits = Runtime.MachineInfo.Current.HasInt8DotProduct ? 8 : 7 };

    /// <summary>Weight grid for <see cref="WeightBits"/>: symmetric signed codes.</summary>
    public QuantType WeightType => QuantType.SignedBits(WeightBits);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting and what is allowed.</summary>
    public void Validate()
    {
        if (ActivationType != QuantType.UInt8 && ActivationType != QuantType.Int8)
            throw new ArgumentException($"Activations can be uint8 or int8, not {ActivationType}: ONNX QuantizeLinear saturates to the full 8-bit range, so a narrower grid would not hold.", nameof(ActivationType));
        if (WeightBits is < 2 or > 8)
            throw new ArgumentOutOfRangeException(nameof(WeightBits), WeightBits, "Weight bits must be 2–8 (codes are stored in int8), e.g. 8, or 4 for QAT.");
        ArgumentNullException.ThrowIfNull(KeepFp32);
        ArgumentNullException.ThrowIfNull(QuantizeOps);
        var unknown = QuantizeOps.Where(op => !SupportedOps.Contains(op)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"QuantizeOps names {string.Join(", ", unknown)}, which the static quantizer does not handle; choose from {string.Join(", ", SupportedOps)}.", nameof(QuantizeOps));
    }

    /// <summary>Settings as text for the lineage step.</summary>
    internal Dictionary<string, string> ToParameters() => new()
    {
        ["weights"] = $"{WeightType} symmetric {(PerChannel ? "per-channel" : "per-tensor")}",
        ["activations"] = $"{ActivationType} asymmetric",
        ["bias"] = "int32",
        ["keep-fp32"] = KeepFp32.Count == 0 ? "none" : string.Join("+", KeepFp32.Order()),
    };
}
