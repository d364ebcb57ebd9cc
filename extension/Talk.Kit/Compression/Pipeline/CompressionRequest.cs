namespace Talk.Kit.Compression.Pipeline;

/// <summary>What <c>#!compress</c> was asked to do, parsed.</summary>
/// <param name="Stages">Stages allowed (default: all three).</param>
/// <param name="Sparsity">Fraction pruned in every compressed layer; null: the paper's recipe for LeNets, the planner's
/// choice under a budget, else <see cref="DefaultSparsity"/>.</param>
/// <param name="ConvBits">Weight-sharing bits of conv kernels; null: the paper's 8, or the planner's choice.</param>
/// <param name="FcBits">Weight-sharing bits of fc weights; null: the paper's 5, or the planner's choice.</param>
/// <param name="Budget">Bytes the compressed file may take; null: no budget.</param>
/// <param name="Images">Test images every stage is judged on; null: all (classifiers) or 200 (ImageNet nets).</param>
/// <param name="FineTuneEpochs">Epochs of fine-tuning after pruning and after sharing (zoo nets); 0: one shot; null: the recipe's.</param>
/// <param name="TrainImages">Training images per fine-tuning epoch; null: all.</param>
public sealed record CompressionRequest(CompressionStages Stages = CompressionStages.All, double? Sparsity = null, int? ConvBits = null,
    int? FcBits = null, long? Budget = null, int? Images = null, int? FineTuneEpochs = null, int? TrainImages = null)
{
    /// <summary>Sparsity when nothing else decides it: half the weights, which one-shot pruning usually survives.</summary>
    public const double DefaultSparsity = 0.5;

    /// <summary>Fixed bits asked for, or null to let the planner choose.</summary>
    public (int Conv, int Fc)? Bits => ConvBits is null && FcBits is null ? null
        : (ConvBits ?? Sharing.WeightSharing.ConvBits, FcBits ?? Sharing.WeightSharing.FcBits);
}
