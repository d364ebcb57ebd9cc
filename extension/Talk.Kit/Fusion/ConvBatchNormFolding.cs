using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>
/// Folds an inference-mode BatchNormalization into the Conv that feeds it: the BN's per-channel affine map
/// is absorbed into the Conv's weights and bias, and the BN node disappears.
/// </summary>
/// <remarks>
/// <code>
/// Before:  x ─► Conv(W, b) ─► y ─► BatchNormalization(γ, β, μ, σ², ε) ─► z
/// After:   x ─► Conv(W′, b′) ─► z
/// </code>
/// BN computes z = γ·(y − μ)/√(σ² + ε) + β per output channel c. With s_c = γ_c/√(σ²_c + ε) and y = W∗x + b:
/// <code>
/// W′[c,…] = W[c,…] · s_c                  (W: [M, C/group, kH, kW]; channel c is dimension 0)
/// b′[c]   = (b[c] − μ_c) · s_c + β_c      (b = 0 when the Conv had no bias: one is created)
/// </code>
/// Fires only when the Conv's output is read by that BN alone and is not a graph output, and γ, β, μ, σ², W
/// (and b) are float initializers; a BN with training outputs (mean/var) is left alone. New weights get new
/// names (a weight shared with another node stays as it was); old ones are removed when nothing reads them.
/// Reference: onnx/optimizer fuse_bn_into_conv.
/// </remarks>
public sealed class ConvBatchNormFolding : IGraphPass
{
    public string Name => "fold-conv-bn";

    public string Description => "Conv → BatchNormalization becomes one Conv with scaled weights and a shifted bias.";

    /// <summary>The BN reads a Conv's output that nothing else reads, and every parameter is a float constant.</summary>
    public static bool Matches(GraphProto graph, NodeProto bn, out NodeProto conv)
    {
        conv = null!;
        if (bn.OpType != "BatchNormalization" || bn.Domain.Length > 0 || bn.Input.Count != 5 || bn.Output.Count(o => o.Length > 0) != 1)
            return false;
        if (Producer(graph, bn.Input[0]) is not { OpType: "Conv", Domain: "" } producer || producer.Output.Count != 1)
            return false;
        conv = producer;
        bool convOutputIsPrivate = IsPrivate(graph, bn.Input[0]);
        bool constants = bn.Input.Skip(1).Append(conv.Input[1]).Concat(conv.Input.Skip(2).Where(b => b.Length > 0))
            .All(name => Initializer(graph, name) is { } t && ReadFloats(t) is not null);
        long channels = constants ? Initializer(graph, conv.Input[1])!.Dims.FirstOrDefault() : 0;
        bool perChannel = constants && bn.Input.Skip(1).All(name => ReadFloats(Initializer(graph, name)!)!.Length == channels);
        return convOutputIsPrivate && constants && perChannel;
    }

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        foreach (var bn in graph.Node.ToList())
            if (Matches(graph, bn, out var conv))
                Rewrite(graph, conv, bn, changes);
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto conv, NodeProto bn, List<PassChange> changes)
    {
        var w = Initializer(graph, conv.Input[1])!;
        float[] weights = ReadFloats(w)!;
        float[] gamma = Floats(graph, bn.Input[1]), beta = Floats(graph, bn.Input[2]);
        float[] mean = Floats(graph, bn.Input[3]), variance = Floats(graph, bn.Input[4]);
        float epsilon = FloatAttribute(bn, "epsilon", 1e-5f);
        int channels = (int)w.Dims[0], perChannel = weights.Length / channels;
        string? oldBias = conv.Input.Count > 2 && conv.Input[2].Length > 0 ? conv.Input[2] : null;
        float[] bias = oldBias is null ? new float[channels] : Floats(graph, oldBias);

        var newWeights = new float[weights.Length];
        var newBias = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double s = gamma[c] / Math.Sqrt(variance[c] + (double)epsilon);          // s_c = γ/√(σ²+ε)
            for (int k = c * perChannel; k < (c + 1) * perChannel; k++)
                newWeights[k] = (float)(weights[k] * s);                              // W′ = W·s
            newBias[c] = (float)((bias[c] - mean[c]) * s + beta[c]);                  // b′ = (b−μ)·s+β
        }

        string wName = UniqueName(graph, conv.Input[1] + ".bnfold");
        string bName = UniqueName(graph, (oldBias ?? NameOf(conv) + ".bias") + ".bnfold");
        graph.Initializer.Add(FloatTensor(wName, newWeights, w.Dims));
        graph.Initializer.Add(FloatTensor(bName, newBias, [channels]));
        changes.Add(new(PassChangeKind.InitializerAdded, wName, $"weights of {NameOf(conv)} scaled by γ/√(σ²+ε)"));
        changes.Add(new(PassChangeKind.InitializerAdded, bName, $"bias of {NameOf(conv)}: (b−μ)·γ/√(σ²+ε)+β"));

        string oldWeights = conv.Input[1];
        conv.Input[1] = wName;
        if (conv.Input.Count > 2) conv.Input[2] = bName; else conv.Input.Add(bName);
        conv.Output[0] = bn.Output[0];                  // the Conv now writes what the BN wrote: readers and graph outputs keep their names
        graph.Node.Remove(bn);
        changes.Add(new(PassChangeKind.NodeRewritten, NameOf(conv), $"absorbed {NameOf(bn)}"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(bn), $"folded into Conv {NameOf(conv)}"));

        foreach (string name in bn.Input.Skip(1).Append(oldWeights).Concat(oldBias is null ? [] : [oldBias]).Distinct())
            if (RemoveIfUnused(graph, name))
                changes.Add(new(PassChangeKind.InitializerRemoved, name, "no reader left after folding"));
    }

    private static float[] Floats(GraphProto graph, string name) => ReadFloats(Initializer(graph, name)!)!;
}
