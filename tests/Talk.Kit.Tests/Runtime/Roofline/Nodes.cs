using Onnx;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Runtime.Roofline;

/// <summary>Hand-made <see cref="NodeSummary"/> rows: shapes as ModelSummary would measure them, cost from the real NodeCost rules.</summary>
internal static class Nodes
{
    public static ShapedTensor F32(string name, params long[] dims) => new(name, OnnxElementType.Float, TensorShape.Of(dims));

    /// <param name="weights">Names of the inputs that are (non-int64) initializers.</param>
    public static NodeSummary Summary(string op, ShapedTensor?[] inputs, ShapedTensor[] outputs, string[] weights,
        params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        foreach (var (name, value) in attributes)
            node.Attribute.Add(value is long[] ints
                ? new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } }
                : new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = Convert.ToInt64(value) });
        var w = inputs.OfType<ShapedTensor>().Where(t => weights.Contains(t.Name)).DistinctBy(t => t.Name).ToArray();
        return new NodeSummary(0, node.Name, op, inputs, outputs,
            Parameters: w.Sum(t => t.Shape.ElementCount), WeightBytes: w.Sum(t => t.Bytes), ActivationBytes: outputs.Sum(o => o.Bytes),
            Cost: NodeCost.Of(node, inputs.Select(t => t?.Shape).ToArray(), outputs.Select(t => (TensorShape?)t.Shape).ToArray()));
    }
}
