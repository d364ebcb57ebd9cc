using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Fusion;

/// <summary>Node counts by op type of one graph.</summary>
public sealed record GraphOps(string Graph, int Nodes, IReadOnlyDictionary<string, int> OpCounts);

/// <summary>
/// The kit's fused graph beside the original and ONNX Runtime's own BASIC/EXTENDED/ALL graphs, and an interleaved
/// latency table: original and ours with ORT's optimizer off (DISABLE_ALL: only our fusions act) and on (ALL).
/// </summary>
public sealed record FusionComparison(IReadOnlyList<GraphOps> Graphs, ModelBenchmarkResult Latency)
{
    public static FusionComparison Measure(Model original, Model fused, int batch = 1, int? threads = null, int runs = 30,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var graphs = new List<GraphOps> { Ops("original", original), Ops("ours", fused) };
        foreach (var (name, level) in OrtOptimizer.Levels)
            graphs.Add(Ops($"ORT {name}", OrtOptimizer.Optimize(original, level)));
        var off = GraphOptimizationLevel.ORT_DISABLE_ALL;
        var all = GraphOptimizationLevel.ORT_ENABLE_ALL;
        var latency = ModelBenchmark.Run(
        [
            new ModelVariant("original, ORT off", original, batch, threads, off),
            new ModelVariant("ours, ORT off", fused, batch, threads, off),
            new ModelVariant("original, ORT all", original, batch, threads, all),
            new ModelVariant("ours, ORT all", fused, batch, threads, all),
        ], new BenchmarkOptions(WarmupRuns: 5, Runs: runs), progress, cancellationToken);
        return new FusionComparison(graphs, latency);
    }

    private static GraphOps Ops(string graph, Model model) => new(graph, model.NodeCount, model.OpTypeCounts);
}
