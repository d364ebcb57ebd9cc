using Onnx;

namespace Talk.Kit.Models;

/// <summary>
/// What <see cref="Model"/> tells without its graph: computed once from the parse that validated the bytes,
/// so the (large) parsed graph need not stay in memory.
/// </summary>
internal sealed record ModelFacts(
    long IrVersion,
    string Producer,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    IReadOnlyDictionary<string, long> OpsetImports,
    IReadOnlyDictionary<string, int> OpTypeCounts,
    int NodeCount,
    int InitializerCount,
    long InitializerBytes)
{
    public static ModelFacts Of(ModelProto model)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        return new ModelFacts(
            model.IrVersion,
            $"{model.ProducerName} {model.ProducerVersion}".Trim(),
            // Before IR 4 initializers were also listed as graph inputs; those are weights, not inputs to feed.
            graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Spec).ToArray(),
            graph.Output.Select(Spec).ToArray(),
            model.OpsetImport.ToDictionary(o => o.Domain == "ai.onnx" ? "" : o.Domain, o => o.Version),
            graph.Node.GroupBy(OpKey).ToDictionary(g => g.Key, g => g.Count()),
            graph.Node.Count,
            graph.Initializer.Count,
            graph.Initializer.Sum(TensorBytes));
    }

    /// <summary>"Conv" for the default domain, "com.microsoft:FusedConv" otherwise.</summary>
    public static string OpKey(NodeProto node) => node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}:{node.OpType}";

    /// <summary>Elements of an initializer: the product of its dims (a scalar has none, and one element).</summary>
    public static long ElementCount(TensorProto t) => t.Dims.Aggregate(1L, (n, d) => n * d);

    /// <summary>In-memory size of an initializer; strings count their UTF-8 bytes.</summary>
    public static long TensorBytes(TensorProto t) =>
        (OnnxElementType)t.DataType == OnnxElementType.String
            ? t.StringData.Sum(s => (long)s.Length)
            : ((OnnxElementType)t.DataType).TensorBytes(ElementCount(t));

    private static TensorSpec Spec(ValueInfoProto v)
    {
        var tensor = v.Type?.TensorType;
        var dims = tensor?.Shape?.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => TensorDim.Fixed(d.DimValue),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => TensorDim.Symbolic(d.DimParam),
            _ => new TensorDim(null, null),
        }).ToArray();
        return new TensorSpec(v.Name, (OnnxElementType)(tensor?.ElemType ?? 0), dims);
    }
}
