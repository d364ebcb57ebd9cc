using Talk.Kit.Compression.Container;
using Talk.Kit.Models;

namespace Talk.Kit.Training.Pruning;

/// <summary>One bar of the waterfall: a stage, its size and its accuracy (null: the stage is a storage format, not a model).</summary>
public sealed record DeepCompressionStage(string Stage, long Bytes, double? Accuracy);

/// <summary>What a Deep Compression run gave, stage by stage (Han et al. 2016, Fig. 1 and Tables 2–3).</summary>
/// <param name="Network">Zoo name.</param>
/// <param name="Data">Held-out images the accuracies were measured on (ONNX Runtime, the kit's one evaluator).</param>
/// <param name="DenseAccuracy">The trained net.</param>
/// <param name="PrunedAccuracy">After pruning and fine-tuning with masks.</param>
/// <param name="SharedAccuracy">After weight sharing and centroid fine-tuning.</param>
/// <param name="DecodedAccuracy">The model decoded from the compressed file.</param>
/// <param name="Compressed">The compressed file (its bytes, <c>Save</c>) and its per-layer and stage sizes.</param>
/// <param name="Bits">Weight-sharing bits per shared layer.</param>
/// <param name="Pruning">Final sparsity per layer, the AGP events, the fine-tuning epochs.</param>
/// <param name="SharingEpochs">Centroid fine-tuning epochs.</param>
/// <param name="Decoded">The model decoded from the file (dense fp32, runs in ONNX Runtime).</param>
/// <param name="Seconds">Wall time of the whole run.</param>
public sealed record DeepCompressionRunResult(string Network, string Data, double DenseAccuracy, double PrunedAccuracy, double SharedAccuracy,
    double DecodedAccuracy, CompressedModel Compressed, IReadOnlyDictionary<string, int> Bits, PruningResult Pruning,
    IReadOnlyList<EpochResult> SharingEpochs, Model Pruned, Model Shared, Model Decoded, double Seconds)
{
    /// <summary>The file's per-layer and stage sizes.</summary>
    public CompressionReport Report => Compressed.Report;

    /// <summary>Bytes of the compressed file.</summary>
    public long FileBytes => Report.FileBytes;

    /// <summary>Dense fp32 weights ÷ file bytes (the paper's "compress rate").</summary>
    public double CompressionRatio => Report.CompressionRatio;

    /// <summary>Dense accuracy − decoded accuracy, in accuracy units (0.01 = one point).</summary>
    public double AccuracyDrop => DenseAccuracy - DecodedAccuracy;

    /// <summary>The waterfall: dense fp32 → pruned (sparse, fp32 values) → shared (index per weight) → Huffman (the file).</summary>
    public IReadOnlyList<DeepCompressionStage> Stages =>
    [
        new("dense fp32", Report.Stages.DenseFp32, DenseAccuracy),
        new("pruned (relative index, fp32 values)", Report.Stages.Sparse, PrunedAccuracy),
        new("shared (cluster indices + codebooks)", Report.Stages.Shared, SharedAccuracy),
        new("Huffman-coded file", Report.Stages.Huffman, DecodedAccuracy),
    ];

    public override string ToString() =>
        $"{Network}: {Report.Stages.DenseFp32:N0} B → {FileBytes:N0} B ({CompressionRatio:F1}×); accuracy dense {DenseAccuracy:P2}, pruned {PrunedAccuracy:P2} " +
        $"({Pruning.TotalSparsity:P1} of weights zero), shared {SharedAccuracy:P2}, decoded from the file {DecodedAccuracy:P2} " +
        $"(drop {AccuracyDrop * 100:F2} points) on {Data}; {Seconds:F0} s" + Environment.NewLine + Report;
}
