using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Fusion;

/// <summary>
/// A name-blind description of a graph: the multiset of its nodes, each as domain:op plus its attributes (sorted by
/// name) and which inputs are present. Two graphs with equal signatures run the same kernels with the same settings,
/// so a latency difference between them is measurement noise, not a difference in the graphs.
/// Tensor names and node order are ignored (ORT renames fused nodes; our passes name theirs differently), and so are
/// attributes spelled out at their ONNX default (ORT writes group=1, alpha=1, … into the graphs it saves).
/// Weight values are not compared: the equivalence check owns numerics.
/// </summary>
public sealed record GraphSignature(IReadOnlyList<string> Nodes)
{
    public static GraphSignature Of(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new(model.ToProto().Graph.Node.Select(Describe).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Same multiset of node descriptions.</summary>
    public bool SameAs(GraphSignature other) => Nodes.SequenceEqual(other.Nodes, StringComparer.Ordinal);

    /// <summary>Descriptions present in one graph and not the other (with multiplicity), for a readable mismatch.</summary>
    public IReadOnlyList<string> Difference(GraphSignature other)
    {
        var remaining = other.Nodes.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var extra = new List<string>();
        foreach (var node in Nodes)
            if (remaining.TryGetValue(node, out int n) && n > 0) remaining[node] = n - 1;
            else extra.Add("+ " + node);
        extra.AddRange(remaining.Where(kv => kv.Value > 0).SelectMany(kv => Enumerable.Repeat("− " + kv.Key, kv.Value)));
        return extra;
    }

    private static string Describe(NodeProto node)
    {
        string op = node.Domain.Length > 0 ? $"{node.Domain}:{node.OpType}" : node.OpType;
        string inputs = string.Concat(node.Input.Select(i => i.Length > 0 ? 'x' : '_'));
        var attributes = node.Attribute.Where(a => !IsDefault(node.OpType, a)).OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}={Value(a)}");
        return $"{op}({inputs}) {string.Join(" ", attributes)}".TrimEnd();
    }

    /// <summary>Defaults from the ONNX operator schemas for the conv, pool, Gemm and Flatten families (and ORT's FusedConv/FusedGemm, which share them).</summary>
    private static bool IsDefault(string op, AttributeProto a) => a.Name switch
    {
        "auto_pad" => a.S.ToStringUtf8() == "NOTSET",
        "group" or "ceil_mode" or "storage_order" or "count_include_pad" or "transA" or "transB" => a.I == (a.Name == "group" ? 1 : 0),
        "dilations" or "strides" => a.Ints.All(v => v == 1),
        "pads" => a.Ints.All(v => v == 0),
        "alpha" or "beta" when op is "Gemm" or "FusedGemm" => a.F == 1f,
        "axis" when op is "Flatten" => a.I == 1,
        _ => false,
    };

    private static string Value(AttributeProto a) => a.Type switch
    {
        AttributeProto.Types.AttributeType.Int => a.I.ToString(),
        AttributeProto.Types.AttributeType.Float => a.F.ToString("R"),
        AttributeProto.Types.AttributeType.String => a.S.ToStringUtf8(),
        AttributeProto.Types.AttributeType.Ints => string.Join("/", a.Ints),
        AttributeProto.Types.AttributeType.Floats => string.Join("/", a.Floats.Select(f => f.ToString("R"))),
        AttributeProto.Types.AttributeType.Strings => string.Join("/", a.Strings.Select(s => s.ToStringUtf8())),
        _ => a.Type.ToString(), // graphs and tensors as attributes: their kind only
    };
}
