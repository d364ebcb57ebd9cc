using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Fusion;

/// <summary>
/// Everything <c>#!fuse</c> shows, measured in one call: the verified fused model and what each pass did, the
/// summaries (shapes) of both graphs, the nodes the passes created or rewrote, and the comparison with ORT's optimizer.
/// </summary>
public sealed record FusionStudy(FusionResult Result, ModelSummary Before, ModelSummary After, IReadOnlyList<string> ChangedNodes, FusionComparison Comparison)
{
    /// <summary>The passes of <see cref="FusionPipeline.Default"/> by name, in pipeline order.</summary>
    public static IReadOnlyList<string> PassNames => FusionPipeline.Default.Passes.Select(p => p.Name).ToList();

    /// <summary>A pipeline of the named passes (default: all), keeping the default order; unknown names are a clear error.</summary>
    public static FusionPipeline Pipeline(IReadOnlyCollection<string>? passes = null)
    {
        if (passes is null || passes.Count == 0) return FusionPipeline.Default;
        var unknown = passes.Where(p => !PassNames.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown pass {string.Join(", ", unknown.Select(u => $"'{u}'"))}; the passes are {string.Join(", ", PassNames)}.", nameof(passes));
        return new FusionPipeline(FusionPipeline.Default.Passes.Where(p => passes.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).ToList());
    }

    public static FusionStudy Run(Model model, IReadOnlyCollection<string>? passes = null, int batch = 1, int? threads = null, int runs = 30,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = Pipeline(passes).Run(model);
        var changed = result.Report.Applications.SelectMany(a => a.Result.Changes)
            .Where(c => c.Kind is PassChangeKind.NodeAdded or PassChangeKind.NodeRewritten).Select(c => c.Name).Distinct().ToList();
        var comparison = FusionComparison.Measure(model, result.Model, batch, threads, runs, progress, cancellationToken);
        return new FusionStudy(result, ModelSummary.Of(model, batch), ModelSummary.Of(result.Model, batch), changed, comparison);
    }
}
