using Google.Protobuf;
using Onnx;

namespace Talk.Kit.Models;

/// <summary>
/// Builds small ONNX graphs by hand (probes, tests, teaching examples). Pure data: nothing here runs a model.
/// </summary>
/// <example><code>
/// var b = new OnnxGraphBuilder("gemm", opset: 17);
/// b.Input("A", OnnxElementType.Float, 64, 256);
/// b.Initializer("B", weights, 256, 128);
/// b.Node("MatMul", ["A", "B"], ["Y"]);
/// b.Output("Y", OnnxElementType.Float, 64, 128);
/// byte[] onnx = b.ToBytes();
/// </code></example>
public sealed class OnnxGraphBuilder
{
    private readonly ModelProto model;
    private GraphProto Graph => model.Graph;

    /// <param name="name">Graph name.</param>
    /// <param name="opset">Default-domain opset version (the kit exports at 17).</param>
    public OnnxGraphBuilder(string name, int opset = 17)
    {
        model = new ModelProto
        {
            IrVersion = 8, // IR 8 ↔ opset 17 (onnx/docs/Versioning.md)
            ProducerName = "Talk.Kit",
            Graph = new GraphProto { Name = name },
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    /// <summary>Adds a graph input; a dimension of -1 becomes the symbolic "batch".</summary>
    public OnnxGraphBuilder Input(string name, OnnxElementType type, params long[] dims)
    {
        Graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Adds a graph output; a dimension of -1 becomes the symbolic "batch".</summary>
    public OnnxGraphBuilder Output(string name, OnnxElementType type, params long[] dims)
    {
        Graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>Adds a float32 constant tensor (row-major).</summary>
    public OnnxGraphBuilder Initializer(string name, ReadOnlySpan<float> values, params long[] dims) =>
        AddInitializer(name, OnnxElementType.Float, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), dims);

    /// <summary>Adds an int8 constant tensor (row-major).</summary>
    public OnnxGraphBuilder Initializer(string name, ReadOnlySpan<sbyte> values, params long[] dims) =>
        AddInitializer(name, OnnxElementType.Int8, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), dims);

    /// <summary>Adds a uint8 constant tensor (row-major).</summary>
    public OnnxGraphBuilder Initializer(string name, ReadOnlySpan<byte> values, params long[] dims) =>
        AddInitializer(name, OnnxElementType.UInt8, values, dims);

    /// <summary>Adds an int64 constant tensor (row-major): shapes, axes, indices.</summary>
    public OnnxGraphBuilder Initializer(string name, ReadOnlySpan<long> values, params long[] dims) =>
        AddInitializer(name, OnnxElementType.Int64, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), dims);

    /// <summary>Adds a node of the default domain (or <paramref name="domain"/>) with integer, float or int-list attributes.</summary>
    public OnnxGraphBuilder Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        IReadOnlyDictionary<string, object>? attributes = null, string? name = null, string domain = "")
    {
        var node = new NodeProto { OpType = opType, Name = name ?? $"{opType}_{Graph.Node.Count}", Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (key, value) in attributes ?? new Dictionary<string, object>())
            node.Attribute.Add(Attribute(key, value));
        Graph.Node.Add(node);
        return this;
    }

    /// <summary>Sets the graph's doc_string: free text that travels with the model (e.g. what an exporter left out).</summary>
    public OnnxGraphBuilder Documentation(string text)
    {
        Graph.DocString = text;
        return this;
    }

    /// <summary>The model as a protobuf message (a copy: the builder can go on).</summary>
    public ModelProto ToModelProto() => model.Clone();

    /// <summary>The serialized model.</summary>
    public byte[] ToBytes() => model.ToByteArray();

    private OnnxGraphBuilder AddInitializer(string name, OnnxElementType type, ReadOnlySpan<byte> littleEndianBytes, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndianBytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return this;
    }

    private static ValueInfoProto ValueInfo(string name, OnnxElementType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value) => value switch
    {
        long or int => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = Convert.ToInt64(value) },
        float or double => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = Convert.ToSingle(value) },
        string s => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) },
        IEnumerable<long> list => WithInts(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints }, list),
        IEnumerable<int> list => WithInts(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints }, list.Select(i => (long)i)),
        _ => throw new ArgumentException($"Attribute '{name}' has an unsupported type {value.GetType().Name}: use long, float, string or a list of long.", nameof(value)),
    };

    private static AttributeProto WithInts(AttributeProto a, IEnumerable<long> values)
    {
        a.Ints.AddRange(values);
        return a;
    }
}
