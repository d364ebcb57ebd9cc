using System.Globalization;
using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Sharing;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Pipeline;

/// <summary>
/// One way to compress a model: which stages, the fraction of weights pruned in every compressed layer, and the
/// weight-sharing bits of conv kernels (rank-4 weights) and fully connected weights (rank 2).
/// </summary>
/// <param name="Stages">The stages applied.</param>
/// <param name="Sparsity">Fraction of each compressed layer's weights zeroed (0 when not pruning).</param>
/// <param name="ConvBits">Weight-sharing bits of conv kernels (paper: 8).</param>
/// <param name="FcBits">Weight-sharing bits of fc weights (paper: 5).</param>
public sealed record CompressionRecipe(CompressionStages Stages, double Sparsity, int ConvBits, int FcBits)
{
    /// <summary>The paper's pipeline and bits, without pruning.</summary>
    public static CompressionRecipe Paper(double sparsity) =>
        new(sparsity > 0 ? CompressionStages.All : CompressionStages.Share | CompressionStages.Huffman, sparsity, WeightSharing.ConvBits, WeightSharing.FcBits);

    /// <summary>A layer with less than this share of the compressed weights is a small layer.</summary>
    public const double SmallLayerShare = 0.02;

    /// <summary>
    /// The most a small layer is pruned. Small layers cost little to keep and are the sensitive ones: the paper keeps 26%
    /// of LeNet-300-100's 1,000-weight classifier and 66% of LeNet-5's first conv while pruning the big layers to 8%
    /// (Han et al. 2016, Tables 2–3). Pruned uniformly to 95%, the kit's LeNet-300-100 classifier keeps 50 weights for
    /// 10 classes and one epoch of fine-tuning leaves 63% accuracy.
    /// </summary>
    public const double SmallLayerMaxSparsity = 0.7;

    /// <summary>
    /// The sparsity of each compressed layer (initializer name → fraction pruned): <see cref="Sparsity"/>, except that small
    /// layers are pruned at most <see cref="SmallLayerMaxSparsity"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double> LayerSparsity(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sizes = CompressionSettings.ForModel(model).Layers.ToDictionary(l => l.Initializer,
            l => model.ReadOnlyProto.Graph.Initializer.First(t => t.Name == l.Initializer).Dims.Aggregate(1L, (a, d) => a * d));
        long total = sizes.Values.Sum();
        return sizes.ToDictionary(s => s.Key, s => s.Value < SmallLayerShare * total ? Math.Min(Sparsity, SmallLayerMaxSparsity) : Sparsity);
    }

    /// <summary>Per-layer settings for <paramref name="model"/>: <see cref="CompressionSettings.ForModel"/> with these bits (each capped by <see cref="CodebookBits"/>).</summary>
    public CompressionSettings Settings(Model model) => CompressionSettings.ForModel(model, ConvBits, FcBits);

    /// <summary>"prune 90% → share (conv 8 / fc 5 bits) → huffman".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Stages.HasFlag(CompressionStages.Prune)) parts.Add($"prune {Sparsity.ToString("0%", CultureInfo.InvariantCulture)}");
        if (Stages.HasFlag(CompressionStages.Share)) parts.Add($"share (conv {ConvBits} / fc {FcBits} bits)");
        if (Stages.HasFlag(CompressionStages.Huffman)) parts.Add("huffman");
        return string.Join(" → ", parts);
    }
}
