using Talk.Kit.Compression.Pipeline;

namespace Talk.Kit.Compression.Budget;

/// <summary>One recipe the planner compressed for real, one shot (no retraining).</summary>
/// <param name="FileBytes">Bytes of the <c>.tkdc</c> file it gave.</param>
/// <param name="WeightError">Mean over compressed layers of ‖W − Ŵ‖² / ‖W‖²: how far pruning and sharing moved the weights.</param>
/// <param name="Fits">FileBytes ≤ the budget.</param>
/// <param name="Quality">For a candidate that fits, when the planner had data: the one-shot model's accuracy (classifiers) or mean
/// cosine with the original's outputs (any model) on a few held-out images.</param>
public sealed record BudgetCandidate(CompressionRecipe Recipe, long FileBytes, double WeightError, bool Fits, double? Quality = null);

/// <summary>What <see cref="BudgetPlanner"/> tried and chose.</summary>
/// <param name="Budget">The size to fit, in bytes.</param>
/// <param name="DenseFileBytes">The ONNX file as it is.</param>
/// <param name="Tried">Every recipe compressed, in the order tried.</param>
/// <param name="Chosen">The fitting recipe with the best measured quality (or, without data, the least weight error); null when
/// the dense file fits already or nothing fits.</param>
/// <param name="QualityMeasure">What <see cref="BudgetCandidate.Quality"/> is ("accuracy on 2,000 test images"); null without data.</param>
/// <param name="Retrained">The recipe will be fine-tuned. One-shot quality then misleads — it punishes pruning, which retraining
/// recovers (the paper prunes LeNets to 8–12% of their weights at no loss), more than coarse sharing, which it recovers less (accuracy
/// falls below 4 bits for conv and 2 for fc, Han et al. 2016 Fig. 6) — so the planner keeps the most bits and prunes as much as needed.</param>
/// <param name="Target">The size candidates had to meet: the budget, less <see cref="BudgetPlanner.RetrainedMargin"/> when retrained.</param>
public sealed record BudgetPlan(long Budget, long DenseFileBytes, IReadOnlyList<BudgetCandidate> Tried, BudgetCandidate? Chosen, string? QualityMeasure = null,
    bool Retrained = false, long? Target = null)
{
    /// <summary>The dense ONNX file is within budget: no stage is needed.</summary>
    public bool DenseFits => DenseFileBytes <= Budget;

    /// <summary>The smallest file any recipe gave (what to aim at when nothing fits).</summary>
    public long SmallestBytes => Tried.Count == 0 ? DenseFileBytes : Tried.Min(c => c.FileBytes);

    /// <summary>One sentence: what was chosen and why.</summary>
    public string Explanation => DenseFits
        ? $"The dense file ({ByteSize.Format(DenseFileBytes)}) fits the {ByteSize.Format(Budget)} budget: no compression needed."
        : Chosen is { } c
            ? $"{Tried.Count(t => t.Fits)} of {Tried.Count} recipes tried fit {ByteSize.Format(Target ?? Budget)}; chosen: {c.Recipe} ({ByteSize.Format(c.FileBytes)}), " +
              (Retrained ? $"the one with the most bits, pruned as much as needed (fine-tuning recovers pruning better than coarse sharing; {ByteSize.Format(Budget - (Target ?? Budget))} kept free for it)."
               : c.Quality is double q ? $"the best of them one shot ({q:0.0000}, {QualityMeasure})."
               : $"the one that moves the weights least (relative squared error {c.WeightError:G2}).")
            : $"No recipe fits {ByteSize.Format(Target ?? Budget)}: the smallest file was {ByteSize.Format(SmallestBytes)}. Raise the budget or allow more stages.";
}
