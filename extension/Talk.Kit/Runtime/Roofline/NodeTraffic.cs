using Talk.Kit.Models;

namespace Talk.Kit.Runtime.Roofline;

/// <summary>
/// The least memory traffic a node can cause, and its arithmetic intensity: the x-axis of a roofline.
/// <para>Minimum bytes = weights read once + activation inputs read once + outputs written once, from the real
/// tensor sizes of a <see cref="NodeSummary"/>. "Minimum" because a real kernel may read more (im2col buffers,
/// re-reading inputs when tiles do not fit in cache, write-allocate reads of the output): the roofline then
/// flatters it, never the reverse. Source: Williams, Waterman, Patterson, "Roofline", CACM 52(4), 2009.</para>
/// </summary>
/// <param name="Node">Node name.</param>
/// <param name="OpType">Operator, as in the summary.</param>
/// <param name="Flops">FLOPs under <see cref="NodeCost"/>'s convention (2·MACs + elementwise ops).</param>
/// <param name="IsCounted">False when the kit has no cost rule for the op: its FLOPs (and intensity) then mean "unknown".</param>
/// <param name="WeightBytes">Initializer inputs except int64 ones (as <see cref="NodeSummary.WeightBytes"/>).</param>
/// <param name="InputBytes">Every other distinct input: activations, plus small int64 constants (shapes, axes).</param>
/// <param name="OutputBytes">Every output, written once.</param>
public sealed record NodeTraffic(string Node, string OpType, long Flops, bool IsCounted, long WeightBytes, long InputBytes, long OutputBytes)
{
    /// <summary>Bytes that must cross the memory interface at least once (B).</summary>
    public long MinimumBytes => WeightBytes + InputBytes + OutputBytes;

    /// <summary>FLOPs / minimum bytes (FLOP/B); 0 for a node that moves nothing.</summary>
    public double ArithmeticIntensity => MinimumBytes > 0 ? (double)Flops / MinimumBytes : 0;

    /// <summary>The traffic of one summarized node. An input named twice (<c>Add(x, x)</c>) is read once.</summary>
    public static NodeTraffic Of(NodeSummary node)
    {
        ArgumentNullException.ThrowIfNull(node);
        long allInputs = node.Inputs.OfType<ShapedTensor>().DistinctBy(t => t.Name).Sum(t => t.Bytes);
        long outputs = node.Outputs.OfType<ShapedTensor>().Sum(t => t.Bytes);
        // The summary's weights are a subset of the node's inputs, so the rest is what flows in from other nodes.
        return new NodeTraffic(node.Name, node.OpType, node.Flops, node.Cost.IsCounted, node.WeightBytes,
            Math.Max(0, allInputs - node.WeightBytes), outputs);
    }
}
