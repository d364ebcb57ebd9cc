using Onnx;
using static Talk.Kit.Fusion.GraphEdit;
using static Talk.Kit.Fusion.ShapeAlgebra;

namespace Talk.Kit.Fusion;

/// <summary>
/// Simplifies chains of shape operations, which move no arithmetic but may copy a whole tensor each: two Transposes
/// become one (or none), two Reshapes one, Flatten/Reshape pairs one Reshape, and Transposes or Reshapes that change
/// nothing disappear.
/// </summary>
/// <remarks>
/// <code>
/// Transpose pair:     x ─► Transpose(p) ─► y ─► Transpose(q) ─► z     →  x ─► Transpose(r) ─► z,  r[i] = p[q[i]]
/// identity Transpose: x ─► Transpose([0,1,…,n−1]) ─► z               →  readers of z read x
/// Reshape pair:       x ─► Reshape(s) ─► y ─► Reshape(t) ─► z         →  x ─► Reshape(t′) ─► z
/// Flatten, Reshape:   x ─► Flatten(axis) ─► y ─► Reshape(t) ─► z      →  x ─► Reshape(t) ─► z
/// Reshape, Flatten:   x ─► Reshape(s) ─► y ─► Flatten(axis) ─► z      →  x ─► Reshape([s₀·…·s_axis−1, −1]) ─► z
/// no-op Reshape:      x[d] ─► Reshape(s) ─► z with shape(z) = d       →  readers of z read x
/// </code>
/// Why these hold: Reshape and Flatten keep the row-major order of the elements and only relabel dimensions, so a
/// chain of them equals its last one applied to the first input — provided the last one's target does not depend on
/// the intermediate's dimensions. It does through a 0 entry (allowzero = 0 copies dimension i of *its* input):
/// t′ replaces such a 0 by s[i] when s[i] is a number, keeps it when s[i] is itself a copying 0 (y[i] = x[i]), and
/// otherwise the pair is left alone. After Flatten, only a target without copying 0s fires. Flatten(y, axis) is
/// [y₀·…·y_axis−1, rest], so after a Reshape whose first axis entries are positive numbers it is
/// Reshape([s₀·…·s_axis−1, −1]). A no-op Reshape is removed only when x's shape is declared static in the graph
/// (input or value_info) and the resolved target equals it — shapes are never guessed.
/// Every pair needs y private (read by the second node alone, not a graph output), a constant perm attribute or an
/// int64 initializer shape; a Transpose without perm (reverse all axes) is left alone. A node writing a graph output
/// is bypassed only when its input can take that name (<see cref="CanBypass"/>). Nodes are visited in order and a
/// rewritten node is matched again, so a chain of any length collapses in one application.
/// Where it occurs: layout round trips (NCHW → NHWC → NCHW from converters, channels-last exports), views and
/// flattens in PyTorch exports. The kit's zoo (LeNet, VGG, ResNet-18) has none: Flatten feeds a Gemm directly.
/// Reference: onnx/optimizer fuse_consecutive_transposes, eliminate_nop_transpose, fuse_consecutive_reshapes.
/// </remarks>
public sealed class ReshapeTransposeSimplification : IGraphPass
{
    /// <summary>Which of the rewrites applies to a node (the second node of a pair).</summary>
    public enum Rule { None, TransposePair, IdentityTranspose, ReshapePair, FlattenThenReshape, ReshapeThenFlatten, NoOpReshape }

    public string Name => "simplify-reshape-transpose";

    public string Description => "Consecutive Transposes/Reshapes/Flattens become one node; Transposes and Reshapes that change nothing are removed.";

    /// <summary>The node ends a pair of shape ops whose intermediate is private, or changes nothing, provably from constants.</summary>
    public static bool Matches(GraphProto graph, NodeProto node, out Rule rule)
    {
        rule = Rule.None;
        if (node.Domain.Length > 0 || node.Input.Count < 1 || node.Output.Count != 1)
            return false;
        var first = Producer(graph, node.Input[0]) is { Domain: "", Output.Count: 1 } producer && IsPrivate(graph, node.Input[0]) ? producer : null;
        rule = (node.OpType, first?.OpType) switch
        {
            ("Transpose", "Transpose") when Perm(first!) is { } p1 && Perm(node) is { } p2 && p1.Length == p2.Length => Rule.TransposePair,
            ("Transpose", _) when Perm(node) is { } p && IsIdentity(p) && CanBypass(graph, node.Input[0], node.Output[0]) => Rule.IdentityTranspose,
            ("Reshape", "Reshape") when ReshapeAfterReshape(graph, first!, node) is not null => Rule.ReshapePair,
            ("Reshape", "Flatten") when Target(graph, node) is { } t && ReadThrough(t, AllowZero(node), null, false) is not null => Rule.FlattenThenReshape,
            ("Flatten", "Reshape") when FlattenAfterReshape(graph, first!, node) is not null => Rule.ReshapeThenFlatten,
            ("Reshape", _) when IsNoOpReshape(graph, node) => Rule.NoOpReshape,
            _ => Rule.None,
        };
        return rule != Rule.None;
    }

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        foreach (var node in graph.Node.ToList())
            while (graph.Node.Contains(node) && Matches(graph, node, out var rule))   // every rewrite removes a node: this ends
                Rewrite(graph, node, rule, changes);
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto node, Rule rule, List<PassChange> changes)
    {
        var first = Producer(graph, node.Input[0]);
        switch (rule)
        {
            case Rule.TransposePair:
                long[] composed = Compose(Perm(first!)!, Perm(node)!);
                node.Attribute.Single(a => a.Name == "perm").Ints.Clear();
                node.Attribute.Single(a => a.Name == "perm").Ints.AddRange(composed);
                ReadThroughAndRemove(graph, first!, node, changes, $"perm [{string.Join(",", composed)}]: {NameOf(first!)}'s and its own, composed");
                break;
            case Rule.ReshapePair:
                long[] target = ReshapeAfterReshape(graph, first!, node)!;
                if (!target.SequenceEqual(Target(graph, node)!))
                    SetTarget(graph, node, target, changes);
                ReadThroughAndRemove(graph, first!, node, changes, $"reshapes {NameOf(first!)}'s input directly");
                break;
            case Rule.FlattenThenReshape:
                ReadThroughAndRemove(graph, first!, node, changes, $"reshapes {NameOf(first!)}'s input directly");
                break;
            case Rule.ReshapeThenFlatten:
                long[] flat = FlattenAfterReshape(graph, first!, node)!;
                node.OpType = "Reshape";                 // Flatten(y, axis) = Reshape(x, [s₀·…·s_axis−1, −1])
                node.Attribute.Clear();                  // Flatten's only attribute, axis, is now in the target
                node.Input.Add("");                      // the shape input, which SetTarget fills with a new initializer
                SetTarget(graph, node, flat, changes);
                ReadThroughAndRemove(graph, first!, node, changes, $"Flatten → Reshape [{string.Join(",", flat)}] of {NameOf(first!)}'s input");
                break;
            case Rule.IdentityTranspose or Rule.NoOpReshape:
                string x = node.Input[0], z = node.Output[0];
                if (Bypass(graph, node, x, z) is { } producer)
                    changes.Add(new(PassChangeKind.NodeRewritten, NameOf(producer), $"output '{x}' renamed to graph output '{z}'"));
                changes.Add(new(PassChangeKind.NodeRemoved, NameOf(node), $"{node.OpType} changes nothing: readers of '{z}' now read '{x}'"));
                RemoveShapeIfUnused(graph, node, changes);
                break;
        }
    }

    /// <summary>The second node now reads the first one's input; the first (whose output only it read) goes.</summary>
    private static void ReadThroughAndRemove(GraphProto graph, NodeProto first, NodeProto second, List<PassChange> changes, string detail)
    {
        second.Input[0] = first.Input[0];
        graph.Node.Remove(first);
        changes.Add(new(PassChangeKind.NodeRewritten, NameOf(second), detail));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(first), $"merged into {NameOf(second)}"));
        RemoveShapeIfUnused(graph, first, changes);
    }

    /// <summary>A new shape initializer for a Reshape (its old one may be shared: it is not edited).</summary>
    private static void SetTarget(GraphProto graph, NodeProto reshape, long[] target, List<PassChange> changes)
    {
        string old = reshape.Input[1], name = UniqueName(graph, NameOf(reshape) + ".shape");
        graph.Initializer.Add(LongTensor(name, target, [target.Length]));
        reshape.Input[1] = name;
        changes.Add(new(PassChangeKind.InitializerAdded, name, $"target [{string.Join(",", target)}] of {NameOf(reshape)}"));
        if (RemoveIfUnused(graph, old))
            changes.Add(new(PassChangeKind.InitializerRemoved, old, "no reader left"));
    }

    private static void RemoveShapeIfUnused(GraphProto graph, NodeProto removed, List<PassChange> changes)
    {
        if (removed.OpType == "Reshape" && removed.Input.Count > 1 && RemoveIfUnused(graph, removed.Input[1]))
            changes.Add(new(PassChangeKind.InitializerRemoved, removed.Input[1], "no reader left"));
    }

    /// <summary>The second Reshape's target rewritten to read the first's input (see <see cref="ShapeAlgebra.ReadThrough"/>), or null.</summary>
    private static long[]? ReshapeAfterReshape(GraphProto graph, NodeProto first, NodeProto second) =>
        Target(graph, second) is { } t && first.Input.Count == 2
            ? ReadThrough(t, AllowZero(second), Target(graph, first), AllowZero(first))
            : null;

    /// <summary>[s₀·…·s_axis−1, −1] when the Reshape's first axis entries are positive numbers, else null.</summary>
    private static long[]? FlattenAfterReshape(GraphProto graph, NodeProto reshape, NodeProto flatten)
    {
        if (Target(graph, reshape) is not { } s)
            return null;
        long axis = IntAttribute(flatten, "axis", 1);
        if (axis < 0) axis += s.Length;                   // opset 11+: negative axes count from the end
        if (axis < 0 || axis > s.Length || s.Take((int)axis).Any(d => d <= 0))
            return null;                                  // a 0 or −1 before the axis depends on x's shape
        return [s.Take((int)axis).Aggregate(1L, (a, d) => a * d), -1];
    }

    /// <summary>x's shape is declared static and the Reshape's resolved target equals it.</summary>
    private static bool IsNoOpReshape(GraphProto graph, NodeProto reshape) =>
        Target(graph, reshape) is { } t && StaticShape(graph, reshape.Input[0]) is { } d
        && ReshapeOutput(t, d, AllowZero(reshape)) is { } output && output.SequenceEqual(d)
        && CanBypass(graph, reshape.Input[0], reshape.Output[0]);

    /// <summary>A Reshape's constant target (opset 5+: the second input, an int64 initializer), else null.</summary>
    private static long[]? Target(GraphProto graph, NodeProto reshape) =>
        reshape.Input.Count == 2 ? ConstantLongs(graph, reshape.Input[1]) : null;

    private static bool AllowZero(NodeProto reshape) => IntAttribute(reshape, "allowzero", 0) != 0;

    /// <summary>A Transpose's perm when it is given and is a permutation (absent means "reverse", left alone).</summary>
    private static long[]? Perm(NodeProto transpose) =>
        transpose.OpType == "Transpose" && IntsAttribute(transpose, "perm") is { } p && IsPermutation(p) ? p : null;
}
