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
/// <param name="Targets">What was asked, as typed: one fraction (<c>90%</c>), one per layer (<c>features.conv1=50%,…</c>) or an accuracy budget.</param>
/// <param name="Layers">Every conv and linear layer after fine-tuning: its target (if pruned) and the zeros it holds.</param>
/// <param name="TotalSparsity">Zeros ÷ weights over all conv and linear layers.</param>
/// <param name="Channels">Structured: filters per conv before → after.</param>
/// <param name="Latency">Dense vs pruned, interleaved (dense first).</param>
public sealed record PruneReport(string Original, string Pruned, bool Structured, string Targets, string Method,
    PruneSide Before, PruneSide After, IReadOnlyList<PrunedLayer> Layers, double TotalSparsity,
    IReadOnlyDictionary<string, ChannelCount> Channels, IReadOnlyList<EpochResult> FineTuning,
    ModelBenchmarkResult Latency, Model PrunedModel)
{
    /// <summary>Median per-round latency ratio pruned ÷ dense (below 1 = faster).</summary>
    public double LatencyRatio => Latency.RatioMedian(Latency.Variants[1].Name, Latency.Variants[0].Name);

    /// <summary>With an accuracy budget: the sensitivity curves the per-layer targets were read from; otherwise null.</summary>
    public SensitivityReport? Sensitivity { get; init; }

    /// <summary>Reached fraction of zeros per conv/linear layer.</summary>
    public IReadOnlyDictionary<string, double> LayerSparsity => Layers.ToDictionary(l => l.Name, l => l.Sparsity);
}

/// <summary>Filters of a conv before and after structured pruning.</summary>
public sealed record ChannelCount(long Before, long After);
