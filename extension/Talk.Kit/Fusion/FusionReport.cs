namespace Talk.Kit.Fusion;

/// <summary>One pass application that changed the graph, and ONNX Runtime's verdict on it.</summary>
/// <param name="Iteration">Round of the fixed-point loop, from 1.</param>
/// <param name="Result">What the pass changed.</param>
/// <param name="Equivalence">Outputs before vs after this application.</param>
public sealed record PassApplication(int Iteration, PassResult Result, EquivalenceResult Equivalence)
{
    public string Pass => Result.Pass;
}

/// <summary>What <see cref="FusionPipeline.Run"/> did: every change, node counts, and the measured agreement.</summary>
/// <param name="Applications">Pass applications that changed something, in order.</param>
/// <param name="Iterations">Rounds run (the last one changed nothing, unless the cap was hit).</param>
/// <param name="ReachedFixedPoint">False when the iteration cap stopped the loop.</param>
/// <param name="OpCountsBefore">Nodes per operator in the input model.</param>
/// <param name="OpCountsAfter">Nodes per operator in the result.</param>
/// <param name="EndToEnd">Input model vs result (null when nothing changed).</param>
public sealed record FusionReport(
    IReadOnlyList<PassApplication> Applications,
    int Iterations,
    bool ReachedFixedPoint,
    IReadOnlyDictionary<string, int> OpCountsBefore,
    IReadOnlyDictionary<string, int> OpCountsAfter,
    EquivalenceResult? EndToEnd)
{
    public IReadOnlyList<PassApplication> Applications { get; init; } = Applications.ToArray();

    public bool Changed => Applications.Count > 0;

    public int NodesBefore => OpCountsBefore.Values.Sum();
    public int NodesAfter => OpCountsAfter.Values.Sum();

    /// <summary>Changes per pass name, summed over iterations.</summary>
    public IReadOnlyDictionary<string, int> ChangesByPass =>
        Applications.GroupBy(a => a.Pass).ToDictionary(g => g.Key, g => g.Sum(a => a.Result.Changes.Count));

    /// <summary>"fuse: 14 → 10 nodes in 2 rounds (fold-conv-bn ×6, eliminate-dead-nodes ×4); max |Δ| 3.1e-07".</summary>
    public override string ToString() =>
        $"fuse: {NodesBefore} → {NodesAfter} nodes in {Iterations} rounds" +
        (Changed ? $" ({string.Join(", ", ChangesByPass.Select(p => $"{p.Key} ×{p.Value}"))})" : " (nothing to fuse)") +
        (EndToEnd is { } e ? $"; max |Δ| {e.MaxAbsDiff:G2}" : "");
}
