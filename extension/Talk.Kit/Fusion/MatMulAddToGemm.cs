using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>Fuses a MatMul by a constant matrix and the Add of a constant bias into one Gemm (a fully connected layer).</summary>
/// <remarks>
/// <code>
/// Before:  A[M,K] ─► MatMul(B[K,N]) ─► Y[M,N] ─► Add(c[N]) ─► Z
/// After:   A[M,K] ─► Gemm(B, c) ─► Z
/// </code>
/// Gemm computes Z = α·A·B + β·C with α = β = 1, transA = transB = 0, and C broadcast over rows:
/// Z[m,n] = Σ_k A[m,k]·B[k,n] + c[n], exactly MatMul then Add. Fires only when A is known to have rank 2
/// (Gemm takes matrices; MatMul also takes batches of them), B is a 2-D float initializer, c a 1-D float
/// initializer of length N, and Y is read by the Add alone and is not a graph output.
/// </remarks>
public sealed class MatMulAddToGemm : IGraphPass
{
    public string Name => "fuse-matmul-add";

    public string Description => "MatMul by a constant matrix followed by Add of a constant bias becomes one Gemm.";

    /// <summary>The Add adds a 1-D constant of length N to a MatMul(A rank 2, B constant [K,N]) that nothing else reads.</summary>
    public static bool Matches(GraphProto graph, NodeProto add, out NodeProto matMul, out string bias)
    {
        (matMul, bias) = (null!, "");
        foreach (var (y, c) in AddOperands(add))
        {
            if (Producer(graph, y) is not { OpType: "MatMul", Domain: "" } producer || producer.Input.Count != 2)
                continue;
            bool yIsPrivate = IsPrivate(graph, y);
            bool bIsMatrix = Initializer(graph, producer.Input[1]) is { Dims.Count: 2 } b && ReadFloats(b) is not null;
            bool cIsBias = Initializer(graph, c) is { Dims.Count: 1 } t && ReadFloats(t) is not null
                           && bIsMatrix && t.Dims[0] == Initializer(graph, producer.Input[1])!.Dims[1];
            if (yIsPrivate && bIsMatrix && cIsBias && RankOf(graph, producer.Input[0]) == 2)
            {
                (matMul, bias) = (producer, c);
                return true;
            }
        }
        return false;
    }

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        foreach (var add in graph.Node.ToList())
            if (Matches(graph, add, out var matMul, out string bias))
                Rewrite(graph, matMul, add, bias, changes);
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto matMul, NodeProto add, string bias, List<PassChange> changes)
    {
        var gemm = new NodeProto { OpType = "Gemm", Name = NameOf(matMul) + ".gemm", Input = { matMul.Input[0], matMul.Input[1], bias }, Output = { add.Output[0] } };
        graph.Node.Insert(graph.Node.IndexOf(matMul), gemm); // where A is ready; the Add's other input is a constant
        graph.Node.Remove(matMul);
        graph.Node.Remove(add);
        changes.Add(new(PassChangeKind.NodeAdded, gemm.Name, $"Gemm = {NameOf(matMul)} + {NameOf(add)}"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(matMul), $"fused into {gemm.Name}"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(add), $"fused into {gemm.Name}"));
    }
}
