using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Runtime.Profiling;

/// <summary>Turns a parsed trace into an <see cref="OperatorProfile"/>: drops warm-up runs, then takes medians over runs.</summary>
internal static class ProfileSummary
{
    /// <param name="warmup">Leading runs of the trace to leave out (they pay for first-run allocation and lazy kernel setup).</param>
    public static OperatorProfile Summarize(OrtTrace trace, int warmup, string modelName, int batch, int threads, GraphOptimizationLevel level)
    {
        var runs = trace.Runs.Where(r => r.Index >= warmup).ToArray();
        if (runs.Length == 0)
            throw new OrtProfileFormatException(trace.Source, $"holds {trace.Runs.Count} model_run events, none after the {warmup} warm-up runs");
        var kernels = trace.Nodes.Where(n => n.Run >= warmup).ToArray();

        // Node → run → kernel time (µs); a node executed twice in a run (control flow) adds up.
        var perNode = new Dictionary<string, (OrtNodeEvent First, Dictionary<int, double> PerRun)>();
        foreach (var k in kernels)
        {
            if (!perNode.TryGetValue(k.Node, out var entry))
                perNode[k.Node] = entry = (k, new Dictionary<int, double>());
            entry.PerRun[k.Run!.Value] = entry.PerRun.GetValueOrDefault(k.Run.Value) + k.DurationMicroseconds;
        }
        var nodeStats = perNode.Values.Select(e => (e.First, Sorted: e.PerRun.Values.Order().ToArray())).ToArray();
        double nodeMedianSum = nodeStats.Sum(s => Median(s.Sorted));
        var nodes = nodeStats
            .Select(s => new NodeTiming(s.First.Node, s.First.OpType, s.First.Provider, Median(s.Sorted),
                LatencyStats.Percentile(s.Sorted, 10), LatencyStats.Percentile(s.Sorted, 90), Share(Median(s.Sorted), nodeMedianSum), s.Sorted.Length))
            .OrderByDescending(n => n.MedianMicroseconds) // stable: ties keep first-execution order
            .ToArray();

        // Op type: per-run sums over every measured run (0 in a run where the type did not execute).
        var opStats = kernels.GroupBy(k => k.OpType)
            .Select(g => (OpType: g.Key, Nodes: g.Select(k => k.Node).Distinct().Count(), PerRun: SumPerRun(g)))
            .Select(g => (g.OpType, g.Nodes, Median: Median(runs.Select(r => g.PerRun.GetValueOrDefault(r.Index)))))
            .ToArray();
        double opMedianSum = opStats.Sum(s => s.Median);
        var opTypes = opStats
            .Select(s => new OpTypeTiming(s.OpType, s.Nodes, s.Median, Share(s.Median, opMedianSum)))
            .OrderByDescending(o => o.MedianMicroseconds)
            .ToArray();

        // The median run is a real run: the lower middle one when the count is even.
        var medianRun = runs.OrderBy(r => r.DurationMicroseconds).ElementAt((runs.Length - 1) / 2);
        var timeline = kernels.Where(k => k.Run == medianRun.Index)
            .Select(k => new TimelineEvent(k.Node, k.OpType, k.StartMicroseconds - medianRun.StartMicroseconds, k.DurationMicroseconds))
            .ToArray(); // kernels are in start order already

        var kernelTimePerRun = SumPerRun(kernels);
        return new OperatorProfile(modelName, batch, threads, level, runs.Length, nodes, opTypes,
            RunMedianMicroseconds: Median(runs.Select(r => r.DurationMicroseconds)),
            NodeSumMedianMicroseconds: Median(runs.Select(r => kernelTimePerRun.GetValueOrDefault(r.Index))),
            Timeline: timeline, TimelineRunMicroseconds: medianRun.DurationMicroseconds);
    }

    /// <summary>Run index → total kernel time of <paramref name="kernels"/> in that run.</summary>
    private static Dictionary<int, double> SumPerRun(IEnumerable<OrtNodeEvent> kernels) =>
        kernels.GroupBy(k => k.Run!.Value).ToDictionary(g => g.Key, g => g.Sum(k => k.DurationMicroseconds));

    private static double Median(IEnumerable<double> values) => LatencyStats.Percentile(values.Order().ToArray(), 50);

    /// <summary>0 when nothing took measurable time (ORT rounds to whole µs), rather than NaN.</summary>
    private static double Share(double part, double total) => total > 0 ? part / total : 0;
}
