using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>
/// Removes nodes that only copy their input at inference time: Identity, and Dropout without training mode
/// and without a used mask output.
/// </summary>
/// <remarks>
/// <code>
/// Before:  a ─► P ─► x ─► Identity ─► y ─► Q          After:  a ─► P ─► x ─► Q
/// Before:  a ─► P ─► x ─► Identity ─► y (graph output) After:  a ─► P ─► y (graph output; P's output renamed)
/// </code>
/// Formula: y = x (Dropout at inference: y = x, the ratio is ignored). When y is a graph output its name must
/// survive, so x is renamed to y at its producer and every reader; that needs x to be a node output that is not
/// itself a graph output (else nothing fires: Identity(input) → output is an interface, not a copy to remove).
/// </remarks>
public sealed class IdentityElimination : IGraphPass
{
    public string Name => "eliminate-identity";

    public string Description => "Identity and inference-mode Dropout nodes are removed; readers read their input.";

    /// <summary>An Identity, or a Dropout not in training mode whose mask nobody reads, that can be bypassed keeping graph output names.</summary>
    public static bool Matches(GraphProto graph, NodeProto node)
    {
        if (node.Domain.Length > 0 || node.Input.Count < 1 || node.Output.Count < 1)
            return false;
        bool copies = node.OpType switch
        {
            "Identity" => node.Output.Count == 1,
            "Dropout" => (node.Input.Count < 3 || node.Input[2].Length == 0)
                         && node.Output.Skip(1).All(mask => mask.Length == 0 || (ConsumerCount(graph, mask) == 0 && !IsGraphOutput(graph, mask))),
            _ => false,
        };
        if (!copies)
            return false;
        return CanBypass(graph, node.Input[0], node.Output[0]);
    }

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        foreach (var node in graph.Node.ToList())
            if (Matches(graph, node))
                Rewrite(graph, node, changes);
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto node, List<PassChange> changes)
    {
        string x = node.Input[0], y = node.Output[0];
        if (Bypass(graph, node, x, y) is { } producer)
            changes.Add(new(PassChangeKind.NodeRewritten, NameOf(producer), $"output '{x}' renamed to graph output '{y}'"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(node), $"{node.OpType}: readers of '{y}' now read its input"));
    }
}
