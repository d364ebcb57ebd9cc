using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Fusion;

/// <summary>Small reads and edits on a <see cref="GraphProto"/> that the passes share. Pure data: nothing here runs a model.</summary>
internal static class GraphEdit
{
    /// <summary>Node name for reports: its name, else its first output.</summary>
    public static string NameOf(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? node.OpType;

    /// <summary>Nodes that read <paramref name="tensor"/>, including nodes inside subgraphs (If/Loop bodies) of this graph.</summary>
    public static int ConsumerCount(GraphProto graph, string tensor) =>
        AllNodes(graph).Sum(n => n.Input.Count(i => i == tensor));

    /// <summary>The nodes (at top level) that read <paramref name="tensor"/>.</summary>
    public static IEnumerable<NodeProto> Consumers(GraphProto graph, string tensor) =>
        graph.Node.Where(n => n.Input.Contains(tensor));

    /// <summary>The top-level node that writes <paramref name="tensor"/>, or null (a graph input or initializer).</summary>
    public static NodeProto? Producer(GraphProto graph, string tensor) =>
        graph.Node.FirstOrDefault(n => n.Output.Contains(tensor));

    public static bool IsGraphOutput(GraphProto graph, string tensor) => graph.Output.Any(o => o.Name == tensor);

    /// <summary>Read by exactly one node and not a graph output: a fusion may then fold it away without anyone missing it.</summary>
    public static bool IsPrivate(GraphProto graph, string tensor) => ConsumerCount(graph, tensor) == 1 && !IsGraphOutput(graph, tensor);

    /// <summary>The (operand, other operand) pairs of a default-domain two-input Add, both ways round (Add commutes).</summary>
    public static IEnumerable<(string Operand, string Other)> AddOperands(NodeProto add) =>
        add is { OpType: "Add", Domain: "", Input.Count: 2 } ? [(add.Input[0], add.Input[1]), (add.Input[1], add.Input[0])] : [];

    public static bool IsGraphInput(GraphProto graph, string tensor) => graph.Input.Any(i => i.Name == tensor);

    public static TensorProto? Initializer(GraphProto graph, string tensor) =>
        graph.Initializer.FirstOrDefault(t => t.Name == tensor);

    /// <summary>Every node of the graph and of its subgraphs, depth first.</summary>
    public static IEnumerable<NodeProto> AllNodes(GraphProto graph)
    {
        foreach (var node in graph.Node)
        {
            yield return node;
            foreach (var attribute in node.Attribute)
            {
                var subgraphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Append(attribute.G);
                foreach (var inner in subgraphs.SelectMany(AllNodes))
                    yield return inner;
            }
        }
    }

    /// <summary>Every tensor <paramref name="node"/> reads, including reads from inside its subgraphs.</summary>
    public static IEnumerable<string> Reads(NodeProto node) =>
        node.Input.Concat(node.Attribute
            .SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Append(a.G))
            .SelectMany(AllNodes)
            .SelectMany(n => n.Input));

    /// <summary>The values of a float32 initializer (raw_data or float_data), or null for other types.</summary>
    public static float[]? ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)OnnxElementType.Float || tensor.DataLocation == TensorProto.Types.DataLocation.External)
            return null;
        return tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : tensor.FloatData.ToArray();
    }

    /// <summary>A float32 initializer holding <paramref name="values"/> as raw little-endian data.</summary>
    public static TensorProto FloatTensor(string name, float[] values, IEnumerable<long> dims)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)OnnxElementType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary><paramref name="stem"/>, or stem_2, stem_3… : a tensor name no node, input, output or initializer uses yet.</summary>
    public static string UniqueName(GraphProto graph, string stem)
    {
        var taken = graph.Initializer.Select(t => t.Name)
            .Concat(graph.Input.Select(i => i.Name))
            .Concat(graph.Output.Select(o => o.Name))
            .Concat(AllNodes(graph).SelectMany(n => n.Input.Concat(n.Output)))
            .ToHashSet();
        string name = stem;
        for (int i = 2; taken.Contains(name); i++)
            name = $"{stem}_{i}";
        return name;
    }

    /// <summary>Replaces every read of <paramref name="from"/> by <paramref name="to"/> in top-level nodes and subgraphs.</summary>
    public static void RenameReads(GraphProto graph, string from, string to)
    {
        foreach (var node in AllNodes(graph))
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == from)
                    node.Input[i] = to;
    }

    /// <summary>Removes the initializer (and a graph input of the same name, as old exporters listed) when nothing reads it.</summary>
    public static bool RemoveIfUnused(GraphProto graph, string tensor)
    {
        if (ConsumerCount(graph, tensor) > 0 || IsGraphOutput(graph, tensor) || Initializer(graph, tensor) is not { } initializer)
            return false;
        graph.Initializer.Remove(initializer);
        if (graph.Input.FirstOrDefault(i => i.Name == tensor) is { } listed)
            graph.Input.Remove(listed);
        return true;
    }

    /// <summary>An integer attribute, or <paramref name="fallback"/> when absent.</summary>
    public static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/> when absent.</summary>
    public static float FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;
}
