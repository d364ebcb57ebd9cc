using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>Removes nodes whose outputs nobody reads and that are not graph outputs, then initializers nobody reads.</summary>
/// <remarks>
/// <code>
/// Before:  x ─► A ─► y (graph output)        After:  x ─► A ─► y (graph output)
///          x ─► B ─► u ─► C ─► v (unread)
/// </code>
/// Liveness, walking the nodes backwards (ONNX lists them in topological order): a tensor is live if it is a
/// graph output or a live node reads it; a node is live if any of its outputs is live. Reads from subgraphs
/// (If/Loop bodies) count. An initializer nobody reads goes too, with a graph input of the same name (old
/// exporters listed initializers as inputs; nobody has to feed them).
/// </remarks>
public sealed class DeadNodeElimination : IGraphPass
{
    public string Name => "eliminate-dead-nodes";

    public string Description => "Nodes whose outputs are never used, and unused initializers, are removed.";

    /// <summary>No output of the node is a graph output or read by a live node.</summary>
    public static bool Matches(NodeProto node, IReadOnlySet<string> live) =>
        !node.Output.Any(live.Contains);

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        var live = graph.Output.Select(o => o.Name).ToHashSet();
        var dead = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (Matches(node, live))
                dead.Add(node);
            else
                live.UnionWith(Reads(node));
        }
        foreach (var node in Enumerable.Reverse(dead))
        {
            graph.Node.Remove(node);
            changes.Add(new(PassChangeKind.NodeRemoved, NameOf(node), "no output is read"));
        }
        foreach (string name in graph.Initializer.Select(t => t.Name).ToList())
            if (RemoveIfUnused(graph, name))
                changes.Add(new(PassChangeKind.InitializerRemoved, name, "nothing reads it"));
        return new PassResult(Name, changes);
    }
}
