using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Training;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Interactive;

/// <summary><c>#!sensitivity</c>: per-layer accuracy-vs-sparsity curves of a workspace model's network.</summary>
/// <param name="Images">Test images each point was measured on.</param>
public sealed record SensitivityMagicReport(string Model, int Images, SensitivityReport Curves)
{
    /// <summary>"Within 1 point": the budget the summary reads each layer's safe sparsity with.</summary>
    public const double Budget = 0.01;

    /// <summary>Per layer, the largest measured sparsity whose accuracy stays within <see cref="Budget"/> of dense.</summary>
    public IReadOnlyList<(string Layer, double Sparsity)> SafeSparsity =>
        Curves.Layers.Select(l => (l.Layer, l.MaxSparsityWithin(Curves.DenseAccuracy, Budget))).ToList();
}
