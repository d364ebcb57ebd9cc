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

    /// <summary>The values of an int64 initializer (raw_data or int64_data), or null for other types.</summary>
    public static long[]? ReadLongs(TensorProto tensor)
    {
        if (tensor.DataType != (int)OnnxElementType.Int64 || tensor.DataLocation == TensorProto.Types.DataLocation.External)
            return null;
        return tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray()
            : tensor.Int64Data.ToArray();
    }

    /// <summary>
    /// The values of a constant int64 tensor (a Reshape shape, say): an initializer that is not also a graph input
    /// (a caller may feed those), else null.
    /// </summary>
    public static long[]? ConstantLongs(GraphProto graph, string tensor) =>
        Initializer(graph, tensor) is { } t && !IsGraphInput(graph, tensor) ? ReadLongs(t) : null;

    /// <summary>An int64 initializer holding <paramref name="values"/> as raw little-endian data.</summary>
    public static TensorProto LongTensor(string name, long[] values, IEnumerable<long> dims)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)OnnxElementType.Int64,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
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

    /// <summary>
    /// True when a node that copies <paramref name="x"/> to <paramref name="y"/> can be removed keeping every graph
    /// output name: y is not a graph output, or x is a node output that is not one either (it can be renamed to y).
    /// </summary>
    public static bool CanBypass(GraphProto graph, string x, string y) =>
        !IsGraphOutput(graph, y) || (Producer(graph, x) is not null && !IsGraphOutput(graph, x));

    /// <summary>
    /// Removes <paramref name="node"/>, whose output <paramref name="y"/> equals its input <paramref name="x"/>: readers
    /// of y read x, or, when y is a graph output (see <see cref="CanBypass"/>), x's producer writes y and x's readers
    /// read y. Returns that renamed producer, or null.
    /// </summary>
    public static NodeProto? Bypass(GraphProto graph, NodeProto node, string x, string y)
    {
        graph.Node.Remove(node);
        if (!IsGraphOutput(graph, y))
        {
            RenameReads(graph, y, x);
            return null;
        }
        var producer = Producer(graph, x)!;
        producer.Output[producer.Output.IndexOf(x)] = y;  // the graph output keeps its name
        RenameReads(graph, x, y);
        return producer;
    }

    /// <summary>
    /// Rank when the graph says it: a declared input or value_info, an op whose output is always a matrix, or the
    /// input of an elementwise op that keeps the shape (Relu(A) has A's rank).
    /// </summary>
    public static int? RankOf(GraphProto graph, string tensor)
    {
        var declared = graph.Input.Concat(graph.ValueInfo).FirstOrDefault(v => v.Name == tensor);
        if (declared?.Type?.TensorType?.Shape is { } shape)
            return shape.Dim.Count;
        return Producer(graph, tensor) switch
        {
            { OpType: "Flatten" or "Gemm", Domain: "" } => 2,
            { OpType: "Relu" or "LeakyRelu" or "Sigmoid" or "Tanh" or "Identity" or "Dropout", Domain: "" } p => RankOf(graph, p.Input[0]),
            _ => null,
        };
    }

    /// <summary>
    /// The shape of <paramref name="tensor"/> when the graph declares it (input, value_info or output) with every
    /// dimension a number; null when it is undeclared or has a symbolic dimension. Never inferred: a guess is no proof.
    /// </summary>
    public static long[]? StaticShape(GraphProto graph, string tensor)
    {
        var declared = graph.Input.Concat(graph.ValueInfo).Concat(graph.Output).FirstOrDefault(v => v.Name == tensor);
        if (declared?.Type?.TensorType?.Shape is not { } shape
            || shape.Dim.Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue))
            return null;
        return shape.Dim.Select(d => d.DimValue).ToArray();
    }

    /// <summary>An integer attribute, or <paramref name="fallback"/> when absent.</summary>
    public static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>A float attribute, or <paramref name="fallback"/> when absent.</summary>
    public static float FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>An integer-list attribute, or null when absent.</summary>
    public static long[]? IntsAttribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints.ToArray();
}
