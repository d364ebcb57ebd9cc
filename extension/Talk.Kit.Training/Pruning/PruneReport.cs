using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Training.Pruning;

/// <summary>One side of <c>#!prune</c>'s before/after comparison.</summary>
/// <param name="Parameters">All parameters (weights, biases, BatchNorm).</param>
/// <param name="NonZeros">Parameters that are not zero: what sparse storage or sparse kernels could exploit.</param>
/// <param name="CompressedBytes">The ONNX file after gzip: zeros compress, so this is where unstructured sparsity shows up on disk.</param>
public sealed record PruneSide(string Name, long Parameters, long NonZeros, long FileBytes, long CompressedBytes, ClassifierEvaluation Accuracy);

/// <summary><c>#!prune</c>: how the network was pruned and fine-tuned, and what that changed.</summary>
/// <param name="Structured">True when whole conv filters were removed; false for zeroed weights.</param>
/// <param name="Target">Requested sparsity (fraction of each layer's weights, or of each conv's filters).</param>
/// <param name="LayerSparsity">Fraction of zeros per conv/linear weight after fine-tuning.</param>
/// <param name="Channels">Structured: filters per conv before → after.</param>
/// <param name="Latency">Dense vs pruned, interleaved (dense first).</param>
public sealed record PruneReport(string Original, string Pruned, bool Structured, double Target, string Method,
    PruneSide Before, PruneSide After, IReadOnlyDictionary<string, double> LayerSparsity, double TotalSparsity,
    IReadOnlyDictionary<string, ChannelCount> Channels, IReadOnlyList<EpochResult> FineTuning,
    ModelBenchmarkResult Latency, Model PrunedModel)
{
    /// <summary>Median per-round latency ratio pruned ÷ dense (below 1 = faster).</summary>
    public double LatencyRatio => Latency.RatioMedian(Latency.Variants[1].Name, Latency.Variants[0].Name);
}

/// <summary>Filters of a conv before and after structured pruning.</summary>
public sealed record ChannelCount(long Before, long After);
