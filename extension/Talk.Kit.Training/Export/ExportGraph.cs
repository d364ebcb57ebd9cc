using Talk.Kit.Models;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Export;

/// <summary>
/// The ONNX graph under construction while the exporter walks a module tree: nodes in execution order,
/// float initializers, and notes on what was left out. Value names are unique; a node's output value has
/// the node's name (the module path), so intermediate tensors read like the modules that made them.
/// </summary>
/// <remarks>
/// Nodes are kept here rather than written straight into an <see cref="OnnxGraphBuilder"/> because the
/// last module's output is only known at the end, and is then renamed to the graph's output name.
/// </remarks>
internal sealed class ExportGraph
{
    private sealed record PendingNode(string OpType, string Name, string[] Inputs, string[] Outputs, Dictionary<string, object>? Attributes);

    private readonly List<PendingNode> nodes = [];
    private readonly List<(string Name, float[] Values, long[] Dims)> initializers = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly List<string> notes = [];

    public ExportGraph(string inputName) => names.Add(inputName);

    /// <summary>Exports <paramref name="module"/> (found at <paramref name="path"/>) applied to <paramref name="input"/>.</summary>
    public OnnxValue Emit(nn.Module module, string path, OnnxValue input) => ModuleRules.Emit(this, module, path, input);

    /// <summary>Adds a float initializer with the tensor's values and shape; returns its name.</summary>
    public string Initializer(string name, Tensor tensor) => Initializer(name, TensorValues.ToFloats(tensor), tensor.shape);

    /// <summary>Adds a float initializer; returns its (unique) name.</summary>
    public string Initializer(string name, float[] values, long[] dims)
    {
        name = Claim(name);
        initializers.Add((name, values, dims));
        return name;
    }

    /// <summary>A scalar constant shared by every node that uses it (added on first use).</summary>
    public string SharedScalar(string name, float value)
    {
        if (initializers.Any(i => i.Name == name))
            return name;
        return Initializer(name, [value], []);
    }

    /// <summary>Adds a node with one output named like the node; returns the output's name.</summary>
    public string Node(string opType, string name, IReadOnlyList<string> inputs, Dictionary<string, object>? attributes = null)
    {
        name = Claim(name);
        nodes.Add(new PendingNode(opType, name, [.. inputs], [name], attributes));
        return name;
    }

    /// <summary>Records something the export left out on purpose (written to the graph's doc_string).</summary>
    public void Note(string text) => notes.Add(text);

    /// <summary>
    /// The finished model: input <paramref name="inputName"/> with <paramref name="inputDims"/>, and the value
    /// <paramref name="result"/> renamed to the output <paramref name="outputName"/> with <paramref name="outputDims"/>
    /// (-1 in dims is the symbolic "batch"), in a graph called <paramref name="graphName"/>.
    /// </summary>
    public byte[] ToBytes(string graphName, string inputName, long[] inputDims, string outputName, long[] outputDims, OnnxValue result)
    {
        if (names.Contains(outputName) && outputName != result.Name)
            throw new ArgumentException($"The output name '{outputName}' is already taken by a module path or initializer in this graph; choose another.", nameof(outputName));

        var builder = new OnnxGraphBuilder(graphName, opset: 17)
            .Input(inputName, OnnxElementType.Float, inputDims)
            .Output(outputName, OnnxElementType.Float, outputDims);
        foreach (var (name, values, dims) in initializers)
            builder.Initializer(name, values, dims);

        string Rename(string value) => value == result.Name ? outputName : value;
        foreach (var node in nodes)
            builder.Node(node.OpType, [.. node.Inputs.Select(Rename)], [.. node.Outputs.Select(Rename)], node.Attributes, node.Name);
        if (result.Name == inputName) // nothing but identities (e.g. only Dropout): the output still needs a producer
            builder.Node("Identity", [inputName], [outputName], name: "identity");

        var doc = "Exported by Talk.Kit from TorchSharp in eval semantics (BatchNorm uses running statistics).";
        if (notes.Count > 0)
            doc += " " + string.Join(" ", notes);
        return builder.Documentation(doc).ToBytes();
    }

    // Module paths are unique within one tree; a suffix only guards against a rule reusing a name.
    private string Claim(string name)
    {
        string unique = name;
        for (int i = 1; !names.Add(unique); i++)
            unique = $"{name}_{i}";
        return unique;
    }
}
