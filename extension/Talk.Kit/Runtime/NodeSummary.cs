using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>One node of a <see cref="ModelSummary"/>, with the shapes measured in ONNX Runtime.</summary>
/// <param name="Index">Position in the graph's node list (execution order).</param>
/// <param name="Name">Node name (or "Op → outputs" when it has none).</param>
/// <param name="OpType">"Conv"; other domains as "com.microsoft:FusedConv".</param>
/// <param name="Inputs">Inputs in order (weights included); null for an omitted optional input or an unknown shape.</param>
/// <param name="Outputs">Outputs in order; null for an omitted optional output or a non-tensor value.</param>
/// <param name="Parameters">Elements of the node's weights: its initializer inputs except int64 ones (shapes, axes, indices).</param>
/// <param name="WeightBytes">Bytes of those weights.</param>
/// <param name="ActivationBytes">Bytes of the node's outputs.</param>
/// <param name="Cost">MACs and FLOPs under <see cref="NodeCost"/>'s convention.</param>
public sealed record NodeSummary(int Index, string Name, string OpType, IReadOnlyList<ShapedTensor?> Inputs, IReadOnlyList<ShapedTensor?> Outputs,
    long Parameters, long WeightBytes, long ActivationBytes, OpCost Cost)
{
    public IReadOnlyList<TensorShape?> InputShapes => Inputs.Select(t => t?.Shape).ToArray();
    public IReadOnlyList<TensorShape?> OutputShapes => Outputs.Select(t => t?.Shape).ToArray();
    public long Macs => Cost.Macs;
    public long Flops => Cost.Flops;
}

/// <summary>Whole-model totals of a <see cref="ModelSummary"/>.</summary>
/// <param name="Parameters">Weight elements, each initializer counted once even if several nodes read it.</param>
/// <param name="WeightBytes">Bytes of those weights.</param>
/// <param name="Macs">Sum over nodes.</param>
/// <param name="Flops">Sum over nodes (2·MACs + elementwise ops).</param>
/// <param name="PeakActivationBytes">Most activation bytes alive at once, running nodes in order (see <c>ActivationMemory</c>).</param>
/// <param name="TotalActivationBytes">Sum of every node's output bytes.</param>
/// <param name="UncountedOps">Op types without a cost rule: their MACs and FLOPs are missing from the totals.</param>
public sealed record SummaryTotals(long Parameters, long WeightBytes, long Macs, long Flops, long PeakActivationBytes, long TotalActivationBytes,
    IReadOnlyList<string> UncountedOps);
