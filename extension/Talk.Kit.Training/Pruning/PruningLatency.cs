using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Training.Export;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// Dense vs the same net with zeros (unstructured) vs the same net with channels removed (structured), timed by the
/// kit's one harness, interleaved.
/// </summary>
/// <param name="DenseParameters">Parameters of the original net.</param>
/// <param name="StructuredParameters">Parameters after removing channels.</param>
/// <param name="ZeroedWeights">Weights set to zero in the unstructured variant: per layer, as many as the structured one removed.</param>
/// <param name="UnstructuredRatio">Median per-round latency ratio unstructured ÷ dense (≈ 1: dense kernels multiply zeros too).</param>
/// <param name="StructuredRatio">Median per-round latency ratio structured ÷ dense.</param>
public sealed record PruningLatencyReport(long DenseParameters, long StructuredParameters, long ZeroedWeights,
    double UnstructuredRatio, double StructuredRatio, ModelBenchmarkResult Benchmark)
{
    public const string Dense = "dense", Unstructured = "unstructured zeros", Structured = "channels removed";

    public override string ToString() =>
        $"{Dense} {DenseParameters:N0} params, {Benchmark[Dense].Timing.Latency.Median:F3} ms; " +
        $"{Unstructured} ({ZeroedWeights:N0} zeros) {Benchmark[Unstructured].Timing.Latency.Median:F3} ms = {UnstructuredRatio:F2}×; " +
        $"{Structured} {StructuredParameters:N0} params {Benchmark[Structured].Timing.Latency.Median:F3} ms = {StructuredRatio:F2}× (latency ratios vs dense, median per round)";
}

/// <summary>Shows why structured pruning is the one that speeds up dense hardware.</summary>
public static class PruningLatency
{
    /// <summary>
    /// Prunes <paramref name="keep"/> filters per conv (<see cref="ChannelPruning.Prune"/>), builds the unstructured twin
    /// (same zero count per layer, smallest |w| zeroed, shapes unchanged), exports all three and times them.
    /// </summary>
    public static PruningLatencyReport Compare(nn.Module<Tensor, Tensor> net, string name, IReadOnlyDictionary<string, int> keep, long[] inputShape,
        int batch = 1, BenchmarkOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var structured = ChannelPruning.Prune(net, keep);
        using var unstructured = ChannelPruning.RemoveChannels(net, new Dictionary<string, long[]>()); // a plain copy
        var removed = PrunableLayer.Of(net).Zip(PrunableLayer.Of(structured)).ToDictionary(p => p.First.Name, p => p.First.Count - p.Second.Count);
        var sparsity = PrunableLayer.Of(unstructured).Where(l => removed[l.Name] > 0).ToDictionary(l => l.Name, l => removed[l.Name] / (double)l.Count);
        using (var masks = MagnitudePruning.BySparsity(unstructured, sparsity)) { }

        var dense = Export(net, name);
        var variants = new List<ModelVariant>
        {
            new(PruningLatencyReport.Dense, dense, batch),
            new(PruningLatencyReport.Unstructured, Export(unstructured, name + "-sparse"), batch),
            new(PruningLatencyReport.Structured, Export(structured, name + "-slim"), batch),
        };
        var result = ModelBenchmark.Run(variants, options ?? new BenchmarkOptions(WarmupRuns: 10, Runs: 60, MinSampleMilliseconds: 5), cancellationToken: cancellationToken);
        return new PruningLatencyReport(ChannelPruning.ParameterCount(net), ChannelPruning.ParameterCount(structured), removed.Values.Sum(),
            result.RatioMedian(PruningLatencyReport.Unstructured, PruningLatencyReport.Dense),
            result.RatioMedian(PruningLatencyReport.Structured, PruningLatencyReport.Dense), result);

        Model Export(nn.Module<Tensor, Tensor> module, string graph) =>
            Model.FromBytes(OnnxExporter.Export(module, graph, inputShape), graph, "pruning latency comparison");
    }
}
