using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>Folds an Add of a per-output-channel constant into the bias of the Conv (or Gemm) that feeds it.</summary>
/// <remarks>
/// <code>
/// Before:  x ─► Conv(W, b) ─► y ─► Add(c) ─► z          x ─► Gemm(A, B, C; β) ─► y ─► Add(c) ─► z
/// After:   x ─► Conv(W, b + c) ─► z                      x ─► Gemm(A, B, β·C + c; β = 1) ─► z
/// </code>
/// Conv computes y[n,k,…] = (W∗x)[n,k,…] + b[k], so y + c = W∗x + (b + c) whenever c holds one value per output
/// channel k: for NCHW that is c of shape [1,K,1,1] or [K,1,1] (a c of shape [K] would broadcast along the
/// last axis, W, not along channels). In general c has rank R or R−1 (R = rank of W = rank of y), K on the axis
/// that lands on y's axis 1, 1 everywhere else. Gemm computes Y[m,n] = α·(A·B)[m,n] + β·C[n], so c of shape [N] or
/// [1,N] folds into C′ = β·C + c with β′ = 1 (C of one value or N values; a full [M,N] C is left alone).
/// Fires only when y is read by the Add alone and is not a graph output, and W, b (or B, C) and c are float
/// initializers. The bias is created when missing; new tensors get new names, so a shared bias stays as it was.
/// Reference: onnx/optimizer fuse_add_bias_into_conv.
/// </remarks>
public sealed class ConvAddBiasFolding : IGraphPass
{
    public string Name => "fold-bias";

    public string Description => "Conv/Gemm followed by Add of a per-channel constant takes the constant into its bias.";

    /// <summary>The Add adds a per-output-channel float constant to a Conv or Gemm output that nothing else reads.</summary>
    public static bool Matches(GraphProto graph, NodeProto add, out NodeProto producer, out string constant)
    {
        (producer, constant) = (null!, "");
        foreach (var (y, c) in AddOperands(add))
        {
            if (Producer(graph, y) is not { OpType: "Conv" or "Gemm", Domain: "" } p || p.Output.Count != 1 || p.Input.Count < 2)
                continue;
            bool yIsPrivate = IsPrivate(graph, y);
            bool cIsConstant = Initializer(graph, c) is { } t && ReadFloats(t) is not null && !IsGraphInput(graph, c);
            bool perChannel = cIsConstant && (p.OpType == "Conv" ? ConvPerChannel(graph, p, Initializer(graph, c)!) : GemmPerColumn(graph, p, Initializer(graph, c)!));
            if (yIsPrivate && perChannel)
            {
                (producer, constant) = (p, c);
                return true;
            }
        }
        return false;
    }

    /// <summary>c has rank R or R−1, K on the axis that lands on y's axis 1, and 1 elsewhere; W and b are float constants.</summary>
    private static bool ConvPerChannel(GraphProto graph, NodeProto conv, TensorProto c)
    {
        if (Initializer(graph, conv.Input[1]) is not { } w || ReadFloats(w) is null || !BiasIsConstant(graph, conv))
            return false;
        int rank = w.Dims.Count, offset = rank - c.Dims.Count;   // c's axis i lands on y's axis i + offset
        if (offset is not (0 or 1))
            return false;
        return c.Dims.Select((d, i) => i + offset == 1 ? d == w.Dims[0] : d == 1).All(ok => ok);
    }

    /// <summary>c is [N] or [1,N] with N the Gemm's output columns; B and C (when present, one value or N) are float constants.</summary>
    private static bool GemmPerColumn(GraphProto graph, NodeProto gemm, TensorProto c)
    {
        if (Initializer(graph, gemm.Input[1]) is not { Dims.Count: 2 } b || ReadFloats(b) is null || !BiasIsConstant(graph, gemm))
            return false;
        long n = IntAttribute(gemm, "transB", 0) != 0 ? b.Dims[0] : b.Dims[1];
        bool shapeOk = c.Dims.Count switch { 1 => c.Dims[0] == n, 2 => c.Dims[0] == 1 && c.Dims[1] == n, _ => false };
        bool oldBiasOk = BiasName(gemm) is not { } old || Initializer(graph, old) is { } t && t.Dims.Count <= 2
            && t.Dims.Take(t.Dims.Count - 1).All(d => d == 1) && ReadFloats(t)!.Length is var len && (len == 1 || len == n);
        return shapeOk && oldBiasOk;
    }

    private static string? BiasName(NodeProto node) => node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;

    private static bool BiasIsConstant(GraphProto graph, NodeProto node) =>
        BiasName(node) is not { } bias || Initializer(graph, bias) is { } t && ReadFloats(t) is not null && !IsGraphInput(graph, bias);

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        foreach (var add in graph.Node.ToList())
            if (Matches(graph, add, out var producer, out string constant))
                Rewrite(graph, producer, add, constant, changes);
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto producer, NodeProto add, string constant, List<PassChange> changes)
    {
        float[] c = ReadFloats(Initializer(graph, constant)!)!;
        string? oldBias = BiasName(producer);
        float[] bias = oldBias is null ? [] : ReadFloats(Initializer(graph, oldBias)!)!;
        float beta = producer.OpType == "Gemm" ? FloatAttribute(producer, "beta", 1f) : 1f;
        var newBias = new float[c.Length];
        for (int k = 0; k < c.Length; k++)
            newBias[k] = beta * (bias.Length == 0 ? 0 : bias[bias.Length == 1 ? 0 : k]) + c[k];   // b′ = β·b + c (β = 1 for Conv)

        string name = UniqueName(graph, (oldBias ?? NameOf(producer) + ".bias") + ".addfold");
        graph.Initializer.Add(FloatTensor(name, newBias, [c.Length]));
        changes.Add(new(PassChangeKind.InitializerAdded, name, $"bias of {NameOf(producer)} plus {constant}"));
        while (producer.Input.Count < 2) producer.Input.Add("");
        if (producer.Input.Count > 2) producer.Input[2] = name; else producer.Input.Add(name);
        if (producer.Attribute.FirstOrDefault(a => a.Name == "beta") is { } betaAttribute)
            producer.Attribute.Remove(betaAttribute);    // β′ = 1, the default
        producer.Output[0] = add.Output[0];              // the Conv/Gemm now writes what the Add wrote
        graph.Node.Remove(add);
        changes.Add(new(PassChangeKind.NodeRewritten, NameOf(producer), $"absorbed {NameOf(add)}"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(add), $"folded into the bias of {producer.OpType} {NameOf(producer)}"));

        foreach (string old in new[] { constant, oldBias }.OfType<string>().Distinct())
            if (RemoveIfUnused(graph, old))
                changes.Add(new(PassChangeKind.InitializerRemoved, old, "no reader left after folding"));
    }
}
