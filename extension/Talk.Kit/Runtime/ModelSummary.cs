using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// Per-node and total parameters, weights, activations, MACs and FLOPs of a model at a batch size,
/// from the real tensor shapes ONNX Runtime computes in one run (<see cref="Of"/>).
/// </summary>
/// <param name="ModelName">The model summarized.</param>
/// <param name="Fingerprint">Its SHA-256, so a report names exactly which bytes it describes.</param>
/// <param name="Batch">Batch size the shapes and costs are for.</param>
/// <param name="Inputs">What was fed (random floats, zero integers).</param>
/// <param name="Outputs">The graph outputs as they came out.</param>
/// <param name="Nodes">One row per node, in graph order.</param>
/// <param name="Totals">Whole-model sums.</param>
/// <param name="OnnxRuntimeVersion">The ORT that measured the shapes.</param>
public sealed record ModelSummary(string ModelName, string Fingerprint, int Batch, IReadOnlyList<ShapedTensor> Inputs, IReadOnlyList<ShapedTensor> Outputs,
    IReadOnlyList<NodeSummary> Nodes, SummaryTotals Totals, string OnnxRuntimeVersion)
{
    /// <summary>How the numbers were obtained, for every view to print beside them.</summary>
    public string Method =>
        $"Shapes from one run in ONNX Runtime {OnnxRuntimeVersion} (no graph optimization) with every node output exposed, at batch {Batch}; " +
        "MACs of Conv/Gemm/MatMul; FLOPs = 2·MACs + elementwise ops (bias add, activation, BatchNorm, pooling); weights = non-int64 initializers.";

    /// <summary>The row of the node named <paramref name="name"/>.</summary>
    public NodeSummary this[string name] => Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new KeyNotFoundException($"Model '{ModelName}' has no node named '{name}'; nodes: {string.Join(", ", Nodes.Select(n => n.Name).Take(20))}.");

    /// <summary>
    /// Runs <paramref name="model"/> once in ONNX Runtime to measure every tensor's shape, then counts costs per node.
    /// </summary>
    /// <param name="model">The model (not changed).</param>
    /// <param name="batch">Value for the leading dimension of every input; if that dimension is fixed, it must equal this.</param>
    /// <param name="symbols">Values for other symbolic dimensions by name (e.g. "height" → 224); unnamed ones get <paramref name="batch"/>.</param>
    /// <param name="threads">Intra-op threads; default physical cores.</param>
    /// <exception cref="ArgumentOutOfRangeException">Batch below 1, or different from a fixed batch of the model.</exception>
    public static ModelSummary Of(Model model, int batch = 1, IReadOnlyDictionary<string, long>? symbols = null, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "Batch must be at least 1, e.g. batch: 1.");
        var measured = TensorProbe.Run(model, batch, symbols, threads);
        var graph = model.ReadOnlyProto.Graph;
        var initializers = new Dictionary<string, TensorProto>();
        foreach (var t in graph.Initializer)
            initializers.TryAdd(t.Name, t);

        ShapedTensor? Tensor(string name) =>
            name.Length == 0 ? null
            : measured.TryGetValue(name, out var m) ? m
            : initializers.TryGetValue(name, out var t) ? new ShapedTensor(name, (OnnxElementType)t.DataType, new TensorShape(t.Dims.ToArray()))
            : null;
        bool IsWeight(string name) => initializers.TryGetValue(name, out var t) && (OnnxElementType)t.DataType != OnnxElementType.Int64;
        long Bytes(string name) => Tensor(name)?.Bytes ?? 0;

        var rows = graph.Node.Select((node, i) => Row(node, i, Tensor, IsWeight)).ToArray();
        var weights = graph.Node.SelectMany(n => n.Input).Where(IsWeight).Distinct().Select(n => Tensor(n)!).ToArray();
        var totals = new SummaryTotals(
            Parameters: weights.Sum(w => w.Shape.ElementCount),
            WeightBytes: weights.Sum(w => w.Bytes),
            Macs: rows.Sum(r => r.Macs),
            Flops: rows.Sum(r => r.Flops),
            PeakActivationBytes: ActivationMemory.Peak(graph, model.Inputs.Select(i => i.Name).ToArray(), Bytes),
            TotalActivationBytes: rows.Sum(r => r.ActivationBytes),
            UncountedOps: rows.Where(r => !r.Cost.IsCounted).Select(r => r.OpType).Distinct().ToArray());
        return new ModelSummary(model.Name, model.Fingerprint, batch,
            model.Inputs.Select(i => measured[i.Name]).ToArray(),
            graph.Output.Select(o => Tensor(o.Name)).OfType<ShapedTensor>().ToArray(),
            rows, totals, Ort.Version);
    }

    private static NodeSummary Row(NodeProto node, int index, Func<string, ShapedTensor?> tensor, Func<string, bool> isWeight)
    {
        var inputs = node.Input.Select(tensor).ToArray();
        var outputs = node.Output.Select(tensor).ToArray();
        var weights = node.Input.Where(isWeight).Distinct().Select(n => tensor(n)!).ToArray();
        return new NodeSummary(index, StructuralCheck.NodeName(node), ModelFacts.OpKey(node), inputs, outputs,
            Parameters: weights.Sum(w => w.Shape.ElementCount),
            WeightBytes: weights.Sum(w => w.Bytes),
            ActivationBytes: outputs.Sum(o => o?.Bytes ?? 0),
            Cost: NodeCost.Of(node, inputs.Select(t => t?.Shape).ToArray(), outputs.Select(t => t?.Shape).ToArray()));
    }

    /// <summary>A plain-text table: totals first, then one line per node.</summary>
    public override string ToString() => ModelSummaryText.Format(this);
}
