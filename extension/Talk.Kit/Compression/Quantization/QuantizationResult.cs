using Talk.Kit.Models;

namespace Talk.Kit.Compression.Quantization;

/// <summary>A quantized model and what happened to every node.</summary>
/// <param name="Model">The quantized model; its lineage ends with "quantize" (static or dynamic) as a step.</param>
/// <param name="Quantized">Nodes that now run in integer arithmetic (or were folded into a quantization), in graph order.</param>
/// <param name="Skipped">Nodes left in floating point, with the reason.</param>
/// <param name="ParamsByNode">Weight quantization of each quantized Conv/Gemm/MatMul, by node name (for reports and histograms).</param>
/// <param name="ActivationParams">The Q/DQ parameters given to each quantized activation tensor, by tensor name (empty for dynamic quantization).</param>
public sealed record QuantizationResult(Model Model, IReadOnlyList<QuantizedNode> Quantized, IReadOnlyList<SkippedNode> Skipped,
    IReadOnlyDictionary<string, WeightQuantization> ParamsByNode, IReadOnlyDictionary<string, QuantParams> ActivationParams)
{
    /// <summary>"12 nodes quantized, 3 kept fp32".</summary>
    public override string ToString() => $"{Model.Name}: {Quantized.Count} nodes quantized, {Skipped.Count} kept in floating point";
}

/// <summary>A node that runs in integer arithmetic after quantization.</summary>
/// <param name="Node">Node name.</param>
/// <param name="OpType">Its op type in the float model.</param>
/// <param name="How">What was done, e.g. "int8 weights per-channel (axis 0), int32 bias".</param>
public sealed record QuantizedNode(string Node, string OpType, string How);

/// <summary>A node left in floating point.</summary>
/// <param name="Reason">Why, e.g. "kept fp32 as asked" or "no int8 rule for Softmax".</param>
public sealed record SkippedNode(string Node, string OpType, string Reason);

/// <summary>How one node's weight was quantized.</summary>
/// <param name="Node">The Conv/Gemm/MatMul.</param>
/// <param name="Weight">Name of its float weight in the model that was quantized.</param>
/// <param name="QuantizedWeight">Name of the integer initializer in the quantized model.</param>
/// <param name="Axis">The channel axis of the per-channel parameters in the quantized initializer; null when per-tensor.</param>
/// <param name="Params">One entry per channel along <paramref name="Axis"/>, or a single one.</param>
/// <param name="Shape">Shape of the quantized initializer.</param>
public sealed record WeightQuantization(string Node, string Weight, string QuantizedWeight, int? Axis, IReadOnlyList<QuantParams> Params,
    IReadOnlyList<long> Shape);
