using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Fusion;

/// <summary>Node counts by op type of one graph.</summary>
public sealed record GraphOps(string Graph, int Nodes, IReadOnlyDictionary<string, int> OpCounts);

/// <summary>Whether two graphs are the same up to names (<see cref="GraphSignature"/>), and if not, how they differ.</summary>
public sealed record GraphMatch(string Left, string Right, bool Same, IReadOnlyList<string> Differences)
{
    public static GraphMatch Of(string left, Model a, string right, Model b)
    {
        var sa = GraphSignature.Of(a);
        var sb = GraphSignature.Of(b);
        return new(left, right, sa.SameAs(sb), sa.Difference(sb));
    }

    public override string ToString() => Same ? $"{Left} ≡ {Right} (same nodes and attributes, names aside)"
        : $"{Left} ≠ {Right}: {Differences.Count} node(s) differ";
}

/// <summary>
/// The kit's fused graph beside the original and ONNX Runtime's own BASIC/EXTENDED/ALL graphs; whether ours equals
/// ORT's EXTENDED graph (our passes capture ORT's graph fusions) and whether both end in the same graph at ALL; and
/// an interleaved latency table: original and ours with ORT's optimizer off (DISABLE_ALL: only our fusions act),
/// the original at EXTENDED (ORT's fusions without its layout rewrites), and both at ALL.
/// </summary>
public sealed record FusionComparison(IReadOnlyList<GraphOps> Graphs, IReadOnlyList<GraphMatch> Matches, ModelBenchmarkResult Latency)
{
    public const string OriginalOff = "original, ORT off";
    public const string OursOff = "ours, ORT off";
    public const string OriginalExtended = "original, ORT extended";
    public const string OriginalAll = "original, ORT all";
    public const string OursAll = "ours, ORT all";

    public static FusionComparison Measure(Model original, Model fused, int batch = 1, int? threads = null, int runs = 30,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var ort = OrtOptimizer.Levels.ToDictionary(l => l.Key, l => OrtOptimizer.Optimize(original, l.Value));
        var graphs = new List<GraphOps> { Ops("original", original), Ops("ours", fused) };
        graphs.AddRange(ort.Select(o => Ops($"ORT {o.Key}", o.Value)));
        var matches = new List<GraphMatch>
        {
            GraphMatch.Of("ours", fused, "ORT extended", ort["extended"]),
            GraphMatch.Of("ours at ORT all", OrtOptimizer.Optimize(fused, GraphOptimizationLevel.ORT_ENABLE_ALL), "ORT all", ort["all"]),
        };
        var latency = ModelBenchmark.Run(
        [
            new ModelVariant(OriginalOff, original, batch, threads, GraphOptimizationLevel.ORT_DISABLE_ALL),
            new ModelVariant(OursOff, fused, batch, threads, GraphOptimizationLevel.ORT_DISABLE_ALL),
            new ModelVariant(OriginalExtended, original, batch, threads, GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
            new ModelVariant(OriginalAll, original, batch, threads, GraphOptimizationLevel.ORT_ENABLE_ALL),
            new ModelVariant(OursAll, fused, batch, threads, GraphOptimizationLevel.ORT_ENABLE_ALL),
        ], new BenchmarkOptions(WarmupRuns: 5, Runs: runs), progress, cancellationToken);
        return new FusionComparison(graphs, matches, latency);
    }

    /// <summary>Median of the per-round ratios <paramref name="variant"/> / <paramref name="reference"/> (interleaved rounds, so drift cancels).</summary>
    public double Ratio(string variant, string reference) => Latency.RatioMedian(variant, reference);

    /// <summary>Ours with ORT's optimizer off over the original at EXTENDED: ≈ 1 when our passes do ORT's graph fusions.</summary>
    public double OursOffOverOriginalExtended => Ratio(OursOff, OriginalExtended);

    /// <summary>Ours at ALL over the original at ALL: ≤ 1 means fusing first never costs ORT's own optimizations anything.</summary>
    public double OursAllOverOriginalAll => Ratio(OursAll, OriginalAll);

    private static GraphOps Ops(string graph, Model model) => new(graph, model.NodeCount, model.OpTypeCounts);
}
