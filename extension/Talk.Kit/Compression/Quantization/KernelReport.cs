namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// The nodes ONNX Runtime really executes for a model at one optimization level (from its saved optimized graph),
/// sorted into integer kernels, floating-point compute kernels and the rest.
/// </summary>
/// <param name="ModelName">The model inspected.</param>
/// <param name="Level">"basic", "extended" or "all".</param>
/// <param name="OpCounts">Nodes per op type of the optimized graph; other domains as "com.microsoft:QLinearConv".</param>
public sealed record KernelReport(string ModelName, string Level, IReadOnlyDictionary<string, int> OpCounts)
{
    /// <summary>Op types (without domain) that compute in integers on ORT's CPU provider.</summary>
    public static readonly IReadOnlySet<string> IntegerOps = new HashSet<string>
    {
        "QLinearConv", "QGemm", "QLinearMatMul", "MatMulInteger", "MatMulIntegerToFloat", "DynamicQuantizeMatMul", "ConvInteger",
        "QLinearAdd", "QLinearMul", "QLinearAveragePool", "QLinearGlobalAveragePool", "QLinearConcat", "QLinearSigmoid",
        "QLinearLeakyRelu", "QLinearSoftmax", "NhwcMaxPool",
    };

    /// <summary>Op types that only convert between number formats at the edges of integer or float16 regions.</summary>
    public static readonly IReadOnlySet<string> ConversionOps = new HashSet<string>
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "Cast",
    };

    /// <summary>Op types (without domain) that do the heavy float32/float16 arithmetic: what quantization is meant to remove.</summary>
    public static readonly IReadOnlySet<string> FloatComputeOps = new HashSet<string>
    {
        "Conv", "FusedConv", "ConvTranspose", "Gemm", "FusedGemm", "MatMul", "FusedMatMul",
    };

    /// <summary>Integer kernels by op type.</summary>
    public IReadOnlyDictionary<string, int> IntegerKernels => Select(IntegerOps);

    /// <summary>Conversions (Q, DQ, Cast) by op type: each one is a pass over a tensor that computes nothing.</summary>
    public IReadOnlyDictionary<string, int> Conversions => Select(ConversionOps);

    /// <summary>Float Conv/Gemm/MatMul kernels that remain (NCHWc convs count as Conv).</summary>
    public IReadOnlyDictionary<string, int> FloatComputeKernels => Select(FloatComputeOps);

    /// <summary>True when some Conv, Gemm or MatMul still runs in floating point.</summary>
    public bool HasFloatConvOrGemm => FloatComputeKernels.Count > 0;

    /// <summary>Nodes of an op type (without domain), summed over domains: Count("QLinearConv") counts ai.onnx and com.microsoft (NHWC) ones.</summary>
    public int Count(string opType) => OpCounts.Where(p => OpTypeOf(p.Key) == opType).Sum(p => p.Value);

    /// <summary>"lenet-5-int8 at all: QLinearConv ×2, QGemm ×3; no float Conv/Gemm left".</summary>
    public override string ToString()
    {
        string integer = IntegerKernels.Count == 0 ? "no integer kernels" : string.Join(", ", IntegerKernels.Select(p => $"{p.Key} ×{p.Value}"));
        string rest = HasFloatConvOrGemm ? "float: " + string.Join(", ", FloatComputeKernels.Select(p => $"{p.Key} ×{p.Value}")) : "no float Conv/Gemm/MatMul left";
        return $"{ModelName} at {Level}: {integer}; {rest}";
    }

    private Dictionary<string, int> Select(IReadOnlySet<string> ops) =>
        OpCounts.Where(p => ops.Contains(OpTypeOf(p.Key))).ToDictionary(p => p.Key, p => p.Value);

    private static string OpTypeOf(string key) => key[(key.LastIndexOf(':') + 1)..];
}
