using Onnx;
using Talk.Kit.Fusion;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Raises the default-domain opset import to <see cref="QuantizationPreparation.MinimumOpset"/> (and the IR version to 7,
/// the one that defines it), when every node is an op whose meaning did not change between the model's opset and 13.
/// </summary>
/// <remarks>
/// <code>
/// Before:  opset 8, IR 3: Conv, Relu, Add, MaxPool, AveragePool (weights also listed as graph inputs)
/// After:   opset 13, IR 7: the same nodes; initializers are no longer graph inputs
/// </code>
/// Why it is safe: the ops allowed here kept their attributes and semantics from opset 7 to 13 (onnx/docs/Changelog.md:
/// their new versions only added types, or optional inputs/attributes whose defaults are the old behaviour).
/// Ops whose attributes became inputs or changed meaning (Clip 11, Pad 11, Squeeze/Unsqueeze 13, Softmax 13, Dropout 12,
/// Upsample, Resize, Slice 10, Split 13, Reduce* 13…) block the raise. BatchNormalization's <c>spatial</c> attribute (removed in
/// opset 9) is dropped when it is 1, its only meaning since. Under IR &lt; 4 an initializer listed as a graph input is a
/// constant; from IR 4 it would become an overridable input (and ORT would stop treating weights as constants), so such
/// inputs are removed. The pipeline running this pass checks the result against the original in ONNX Runtime.
/// </remarks>
public sealed class OpsetRaise : IGraphPass
{
    /// <summary>Ops with unchanged semantics from opset 7 to 13 (for the attributes they can carry at 7).</summary>
    public static readonly IReadOnlySet<string> SafeOps = new HashSet<string>
    {
        "Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Add", "Sub", "Mul", "Div",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Reshape", "Transpose", "Concat", "Identity", "Sum", "LRN",
    };

    public string Name => "raise-opset";

    public string Description => $"The default-domain opset is raised to {QuantizationPreparation.MinimumOpset} when every op means the same there.";

    /// <summary>The default opset is 7…12 and every node is a safe op (a BatchNormalization with spatial ≠ 1 is not).</summary>
    public static bool Matches(ModelProto model) =>
        DefaultOpset(model) is >= 7 and < QuantizationPreparation.MinimumOpset && Blockers(model).Count == 0;

    /// <summary>Nodes that keep the opset from being raised, as "OpType name".</summary>
    public static IReadOnlyList<string> Blockers(ModelProto model) => AllNodes(model.Graph)
        .Where(n => n.Domain.Length > 0 || !SafeOps.Contains(n.OpType) || (n.OpType == "BatchNormalization" && IntAttribute(n, "spatial", 1) != 1))
        .Select(n => $"{(n.Domain.Length > 0 ? n.Domain + ":" : "")}{n.OpType} {NameOf(n)}").ToList();

    public PassResult Apply(ModelProto model)
    {
        var changes = new List<PassChange>();
        if (!Matches(model))
            return new PassResult(Name, changes);
        long old = DefaultOpset(model)!.Value;
        foreach (var bn in AllNodes(model.Graph).Where(n => n.OpType == "BatchNormalization"))
            if (bn.Attribute.FirstOrDefault(a => a.Name == "spatial") is { } spatial)
            {
                bn.Attribute.Remove(spatial);
                changes.Add(new(PassChangeKind.NodeRewritten, NameOf(bn), "dropped spatial = 1 (removed in opset 9; per-channel is the only meaning since)"));
            }
        if (model.IrVersion < 4)
            foreach (var input in model.Graph.Input.Where(i => Initializer(model.Graph, i.Name) is not null).ToList())
            {
                model.Graph.Input.Remove(input);
                changes.Add(new(PassChangeKind.NodeRewritten, input.Name, "initializer no longer listed as a graph input (it would become overridable from IR 4)"));
            }
        model.OpsetImport.First(o => o.Domain is "" or "ai.onnx").Version = QuantizationPreparation.MinimumOpset;
        model.IrVersion = Math.Max(model.IrVersion, 7);
        changes.Add(new(PassChangeKind.NodeRewritten, model.Graph.Name, $"opset {old} → {QuantizationPreparation.MinimumOpset}, IR {model.IrVersion}"));
        return new PassResult(Name, changes);
    }

    private static long? DefaultOpset(ModelProto model) =>
        model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version;
}
