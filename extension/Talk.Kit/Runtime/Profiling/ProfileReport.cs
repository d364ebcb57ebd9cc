using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Runtime.Roofline;

namespace Talk.Kit.Runtime.Profiling;

/// <summary>
/// Where a model's time goes: latency distributions of every (model, batch) variant measured interleaved, per-operator
/// times as ONNX Runtime runs the first model, and each of its nodes under this machine's measured roofline.
/// </summary>
/// <param name="Latency">Interleaved end-to-end timing of every variant (the first is the baseline of the ratios).</param>
/// <param name="Operators">Per-node and per-op-type times of the first model at the first batch, at the chosen optimization level.</param>
/// <param name="Roofline">The first model's nodes under the roofs, timed without graph optimizations so every node keeps its name.</param>
public sealed record ProfileReport(ModelBenchmarkResult Latency, OperatorProfile Operators, RooflineAnalysis Roofline)
{
    /// <summary>
    /// Measures all three for <paramref name="models"/> (the first is profiled; the others are compared in the latency part)
    /// at every batch size. <paramref name="stage"/> hears which part is running; the first call on a machine also measures
    /// its roofs (then cached).
    /// </summary>
    public static ProfileReport Measure(IReadOnlyList<(string Name, Model Model)> models, IReadOnlyList<int> batches, int? threads = null,
        int runs = 30, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL, Action<string>? stage = null,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (models.Count == 0) throw new ArgumentException("Give at least one model to profile.", nameof(models));
        if (batches.Count == 0) throw new ArgumentException("Give at least one batch size, e.g. 1.", nameof(batches));
        var variants = models.SelectMany(m => batches.Select(b =>
            new ModelVariant(batches.Count > 1 || models.Count == 1 ? $"{m.Name} b{b}" : m.Name, m.Model, b, threads, level))).ToList();
        var main = models[0].Model;
        int batch = batches[0];

        stage?.Invoke("latency, variants interleaved");
        var latency = ModelBenchmark.Run(variants, new BenchmarkOptions(WarmupRuns: 5, Runs: runs), progress, cancellationToken);
        stage?.Invoke("operators (ONNX Runtime profiling)");
        var operators = OperatorProfiler.Profile(main, batch, threads, Math.Min(runs, 20), level: level, progress: progress, cancellationToken: cancellationToken);
        stage?.Invoke("this machine's roofline (measured once, then cached)");
        var machine = MachineRoofline.Get(progress: progress, cancellationToken: cancellationToken);
        stage?.Invoke("every node, unoptimized, for the roofline");
        var plain = OperatorProfiler.Profile(main, batch, threads, Math.Min(runs, 10), level: GraphOptimizationLevel.ORT_DISABLE_ALL, cancellationToken: cancellationToken);
        var roofline = RooflineAnalysis.Of(ModelSummary.Of(main, batch), plain.Nodes.ToDictionary(n => n.Name, n => n.MedianMicroseconds), machine);
        return new ProfileReport(latency, operators, roofline);
    }
}
