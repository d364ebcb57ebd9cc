using System.Globalization;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// How much of each layer <see cref="PruningStudy"/> removes: one fraction for every layer, a fraction per named layer,
/// or, per layer, the largest fraction its sensitivity curve tolerates within an accuracy budget (Han et al. 2015, §4:
/// "the most sensitive layers are pruned least").
/// </summary>
public abstract record PruneTargets
{
    private PruneTargets() { }

    /// <summary>The same fraction of every conv and linear layer's weights (structured: of every conv's filters).</summary>
    public sealed record Uniform(double Sparsity) : PruneTargets
    {
        /// <inheritdoc/>
        public override string ToString() => Percent(Sparsity);
    }

    /// <summary>Each named layer its own fraction; layers not named stay dense.</summary>
    /// <param name="Sparsity">Layer path (e.g. <c>features.conv1</c>) → fraction, 0 to 1.</param>
    public sealed record PerLayer(IReadOnlyDictionary<string, double> Sparsity) : PruneTargets
    {
        /// <inheritdoc/>
        public override string ToString() => string.Join(",", Sparsity.Select(s => $"{s.Key}={Percent(s.Value)}"));
    }

    /// <summary>
    /// Per layer, the largest measured sparsity whose accuracy (that layer alone pruned, no retraining) stays within
    /// <paramref name="MaxAccuracyDrop"/> of the dense accuracy, e.g. 0.01 for one point.
    /// </summary>
    /// <param name="Images">Training images the curves are measured on (never the test set, which judges the result).</param>
    public sealed record WithinAccuracyDrop(double MaxAccuracyDrop, int Images = 2000) : PruneTargets
    {
        /// <inheritdoc/>
        public override string ToString() => $"within {Percent(MaxAccuracyDrop)} accuracy drop per layer";
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}

/// <summary>One conv or linear layer of a <see cref="PruneReport"/>: what was asked, what the weights now hold.</summary>
/// <param name="Target">Fraction asked for (structured: of the conv's filters); null when the layer was left alone.</param>
/// <param name="Weights">Weights after pruning (structured: of the smaller layer).</param>
/// <param name="Zeros">Weights that are exactly zero after fine-tuning.</param>
public sealed record PrunedLayer(string Name, double? Target, long Weights, long Zeros)
{
    /// <summary>Fraction of the weights that are zero: the reached unstructured sparsity.</summary>
    public double Sparsity => Weights == 0 ? 0 : Zeros / (double)Weights;
}
