using Onnx;

namespace Talk.Kit.Compression.Quantization;

/// <summary>A Conv/Gemm/MatMul to quantize: the activation it reads and the channel axis of its weight (null: per tensor).</summary>
internal sealed record AnchorPlan(NodeProto Node, string Activation, int? WeightAxis);

/// <summary>What <see cref="QdqPlanner"/> decided: which tensors get a Q/DQ pair (with which parameters) and which weights are quantized.</summary>
internal sealed class QdqPlan
{
    public List<AnchorPlan> Anchors { get; } = [];

    /// <summary>Activation tensor → its Q/DQ parameters, in the order decided (producers before readers).</summary>
    public Dictionary<string, QuantParams> Activations { get; } = [];

    public List<QuantizedNode> Quantized { get; } = [];
    public List<SkippedNode> Skipped { get; } = [];

    /// <summary>Tensors that need a range and have none: (tensor, the node that reads or writes it).</summary>
    public List<(string Tensor, string Node)> Missing { get; } = [];

    /// <summary>Some Conv/Gemm/MatMul was left fp32 because the options said so (then "nothing quantized" is not an error).</summary>
    public bool AnchorExcludedByOptions { get; set; }
}
