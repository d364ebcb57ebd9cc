using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>
/// Folds an inference-mode BatchNormalization on the [M, N] output of a fully connected layer (BatchNorm1d after
/// Linear) into that layer: a Gemm, or a MatMul by a constant matrix, which becomes a Gemm. The BN node disappears.
/// </summary>
/// <remarks>
/// <code>
/// Before:  A ─► Gemm(B, C; α, β, transB) ─► Y[M,N] ─► BatchNormalization(γ, β_bn, μ, σ², ε) ─► Z
///          A ─► MatMul(B[K,N]) ─► Y[M,N] ─► BatchNormalization(γ, β_bn, μ, σ², ε) ─► Z
/// After:   A ─► Gemm(B′, C′; transB kept, α = β = 1) ─► Z
/// </code>
/// Gemm computes Y[m,n] = α·Σ_k A[m,k]·B[k,n] + β·C[n] (B stored as [N,K] when transB = 1). On a matrix, BN's
/// channel is the column: Z[m,n] = s_n·(Y[m,n] − μ_n) + β_bn,n with s_n = γ_n/√(σ²_n + ε). So
/// <code>
/// B′[k,n] = α·s_n·B[k,n]                  (transB = 0: B is [K,N], column n is scaled)
/// B′[n,k] = α·s_n·B[n,k]                  (transB = 1: B is [N,K], row n is scaled)
/// C′[n]   = (β·C[n] − μ_n)·s_n + β_bn,n    (C absent: 0; a C of one value, [N] or [1,N] is broadcast to [N])
/// </code>
/// α and β are folded in, so any α, β fire and the new Gemm has the defaults α = β = 1. A MatMul counts as a Gemm
/// with α = β = 1, transB = 0 and no C, and only when A is known to have rank 2: on [M,C,L] the BN channel would be
/// axis 1, not MatMul's output column. Fires only when Y is read by the BN alone and is not a graph output, B is a 2-D
/// float initializer, C (if any) and γ, β_bn, μ, σ² are float initializers of one value per column, and the BN has
/// no training outputs. New tensors get new names (a B shared with another node stays as it was).
/// Where it occurs: MLPs and classifier heads with BatchNorm1d after Linear — often Linear(bias=False), which
/// PyTorch exports as MatMul by Wᵀ. None of the kit's zoo networks has one (their BNs follow convolutions), so the
/// pass is tested on hand-built graphs. Reference: onnxscript's rewriter fuse_batchnorm (its Gemm case).
/// </remarks>
public sealed class GemmBatchNormFolding : IGraphPass
{
    public string Name => "fold-gemm-bn";

    public string Description => "Gemm (or MatMul by a constant) → BatchNormalization becomes one Gemm with scaled weights and a shifted bias.";

    /// <summary>The BN reads a matrix from a Gemm or rank-2 MatMul that nothing else reads, and every parameter is a per-column float constant.</summary>
    public static bool Matches(GraphProto graph, NodeProto bn, out NodeProto layer)
    {
        layer = null!;
        if (bn.OpType != "BatchNormalization" || bn.Domain.Length > 0 || bn.Input.Count != 5
            || bn.Output.Count(o => o.Length > 0) != 1 || IntAttribute(bn, "training_mode", 0) != 0)
            return false;
        if (Producer(graph, bn.Input[0]) is not { OpType: "Gemm" or "MatMul", Domain: "", Output.Count: 1 } producer || producer.Input.Count < 2)
            return false;
        layer = producer;
        bool yIsPrivate = IsPrivate(graph, bn.Input[0]);
        bool isMatrix = producer.OpType == "Gemm" || RankOf(graph, producer.Input[0]) == 2;
        long columns = Initializer(graph, producer.Input[1]) is { Dims.Count: 2 } b && ReadFloats(b) is not null ? Columns(producer, b) : 0;
        bool biasPerColumn = BiasName(producer) is not { } c
            || Initializer(graph, c) is { } t && ReadFloats(t) is { } values
               && (values.Length == 1 || values.Length == columns && t.Dims.Count <= 2 && t.Dims.SkipLast(1).All(d => d == 1));
        bool bnPerColumn = columns > 0 && bn.Input.Skip(1).All(name => Initializer(graph, name) is { } p && ReadFloats(p)?.Length == columns);
        return yIsPrivate && isMatrix && biasPerColumn && bnPerColumn;
    }

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        long opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 1;
        if (opset < 7)
            return new PassResult(Name, changes);  // before opset 7 Gemm broadcast a [N] C only with broadcast=1: leave such old graphs
        foreach (var bn in graph.Node.ToList())
            if (Matches(graph, bn, out var layer))
                Rewrite(graph, layer, bn, changes);
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto layer, NodeProto bn, List<PassChange> changes)
    {
        var bTensor = Initializer(graph, layer.Input[1])!;
        float[] b = ReadFloats(bTensor)!;
        bool transB = IntAttribute(layer, "transB", 0) != 0;
        int n = (int)Columns(layer, bTensor), storedColumns = (int)bTensor.Dims[1];
        double alpha = FloatAttribute(layer, "alpha", 1f), betaGemm = FloatAttribute(layer, "beta", 1f);  // a MatMul has neither: 1
        string? oldBias = BiasName(layer);
        float[] c = oldBias is null ? [0f] : Floats(graph, oldBias);
        float[] gamma = Floats(graph, bn.Input[1]), beta = Floats(graph, bn.Input[2]);
        float[] mean = Floats(graph, bn.Input[3]), variance = Floats(graph, bn.Input[4]);
        double epsilon = FloatAttribute(bn, "epsilon", 1e-5f);

        var s = new double[n];
        var newBias = new float[n];
        for (int j = 0; j < n; j++)
        {
            s[j] = gamma[j] / Math.Sqrt(variance[j] + epsilon);                                  // s_n = γ/√(σ²+ε)
            newBias[j] = (float)((betaGemm * c[c.Length == 1 ? 0 : j] - mean[j]) * s[j] + beta[j]); // C′ = (β·C−μ)·s+β_bn
        }
        var newWeights = new float[b.Length];
        for (int i = 0; i < b.Length; i++)
            newWeights[i] = (float)(alpha * s[transB ? i / storedColumns : i % storedColumns] * b[i]); // B′ = α·s·B, per output column

        string bName = UniqueName(graph, layer.Input[1] + ".bnfold");
        string cName = UniqueName(graph, (oldBias ?? NameOf(layer) + ".bias") + ".bnfold");
        graph.Initializer.Add(FloatTensor(bName, newWeights, bTensor.Dims));
        graph.Initializer.Add(FloatTensor(cName, newBias, [n]));
        changes.Add(new(PassChangeKind.InitializerAdded, bName, $"weights of {NameOf(layer)}: α·B, column n scaled by γ/√(σ²+ε)"));
        changes.Add(new(PassChangeKind.InitializerAdded, cName, $"bias of {NameOf(layer)}: (β·C−μ)·γ/√(σ²+ε)+β"));

        string oldWeights = layer.Input[1], was = layer.OpType;
        layer.OpType = "Gemm";                          // a MatMul(A, B) is Gemm(A, B) with the defaults
        layer.Input[1] = bName;
        if (layer.Input.Count > 2) layer.Input[2] = cName; else layer.Input.Add(cName);
        foreach (var folded in layer.Attribute.Where(a => a.Name is "alpha" or "beta").ToList())
            layer.Attribute.Remove(folded);             // α, β now live in B′ and C′: the defaults 1 hold
        layer.Output[0] = bn.Output[0];                 // the layer now writes what the BN wrote: readers and graph outputs keep their names
        graph.Node.Remove(bn);
        changes.Add(new(PassChangeKind.NodeRewritten, NameOf(layer), was == "Gemm" ? $"absorbed {NameOf(bn)}" : $"MatMul → Gemm, absorbed {NameOf(bn)}"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(bn), $"folded into Gemm {NameOf(layer)}"));

        foreach (string name in bn.Input.Skip(1).Append(oldWeights).Concat(oldBias is null ? [] : [oldBias]).Distinct())
            if (RemoveIfUnused(graph, name))
                changes.Add(new(PassChangeKind.InitializerRemoved, name, "no reader left after folding"));
    }

    /// <summary>N, the layer's output columns: B is [K,N], or [N,K] when transB = 1.</summary>
    private static long Columns(NodeProto layer, TensorProto b) => IntAttribute(layer, "transB", 0) != 0 ? b.Dims[0] : b.Dims[1];

    private static string? BiasName(NodeProto layer) => layer.Input.Count > 2 && layer.Input[2].Length > 0 ? layer.Input[2] : null;

    private static float[] Floats(GraphProto graph, string name) => ReadFloats(Initializer(graph, name)!)!;
}
