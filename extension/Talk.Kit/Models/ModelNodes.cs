using System.Runtime.InteropServices;
using Onnx;

namespace Talk.Kit.Models;

/// <summary>One node of a model's graph as plain data: what notebooks and reports read without touching protobuf types.</summary>
/// <param name="FloatAttributes">The node's float attributes (e.g. BatchNormalization's epsilon).</param>
public sealed record NodeView(string Name, string OpType, string Domain, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, float> FloatAttributes);

/// <summary>Read-only views of a model's nodes and float weights.</summary>
public static class ModelNodes
{
    /// <summary>The graph's nodes in order.</summary>
    public static IReadOnlyList<NodeView> Nodes(this Model model) => model.ToProto().Graph.Node
        .Select(n => new NodeView(n.Name, n.OpType, n.Domain, n.Input.ToArray(), n.Output.ToArray(),
            n.Attribute.Where(a => a.Type == AttributeProto.Types.AttributeType.Float).ToDictionary(a => a.Name, a => a.F)))
        .ToList();

    /// <summary>The values of a float32 initializer, row-major; a clear error if there is none by that name.</summary>
    public static float[] FloatInitializer(this Model model, string name)
    {
        var tensor = model.ToProto().Graph.Initializer.FirstOrDefault(i => i.Name == name)
            ?? throw new KeyNotFoundException($"Model '{model.Name}' has no initializer named '{name}'.");
        if (tensor.DataType != (int)OnnxElementType.Float)
            throw new InvalidOperationException($"Initializer '{name}' of model '{model.Name}' is {((OnnxElementType)tensor.DataType)}, not float.");
        return tensor.FloatData.Count > 0 ? tensor.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }
}
