using System.Diagnostics;
using Talk.Kit.Compression.Budget;
using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Compression.Pipeline;

/// <summary>
/// Deep Compression of any ONNX model, one shot (no retraining): prune by magnitude, share weights by k-means, Huffman-code
/// into a <c>.tkdc</c> file, decode it, and judge every stage's model on held-out images. Under a budget the stages and
/// bits come from <see cref="BudgetPlanner"/>. For zoo nets the kit trained, Talk.Kit.Training fine-tunes between the
/// stages instead (as the paper does); the outcome has the same shape.
/// </summary>
public static class CompressionStudy
{
    /// <summary>Test images a stage is judged on by default for ImageNet-sized nets (each costs ~30 ms on 2 cores).</summary>
    public const int DefaultImageNetImages = 200;

    /// <summary>Decides the recipe: the planner's under a budget, else the request's (paper bits by default).</summary>
    /// <param name="judge">Judges the budget planner's candidates on held-out data; null: weight error decides.</param>
    /// <param name="retrained">The recipe will be fine-tuned (see <see cref="BudgetPlan.Retrained"/>).</param>
    public static (CompressionRecipe Recipe, BudgetPlan? Plan) Decide(Model model, CompressionRequest request, double defaultSparsity,
        StageJudge? judge = null, bool retrained = false, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        CompressionPipeline.Check(request.Stages);
        if (request.Budget is long budget)
        {
            var plan = BudgetPlanner.Plan(model, budget, request.Stages, request.Sparsity, request.Bits, judge?.ForPlanner(cancellationToken), retrained, progress, cancellationToken);
            if (plan.DenseFits) return (new CompressionRecipe(CompressionStages.None, 0, 0, 0), plan);
            var pick = plan.Chosen ?? plan.Tried.MinBy(c => c.FileBytes)!; // nothing fits: the smallest, reported over budget
            return (pick.Recipe, plan);
        }
        var bits = request.Bits ?? (Sharing.WeightSharing.ConvBits, Sharing.WeightSharing.FcBits);
        double sparsity = request.Stages.HasFlag(CompressionStages.Prune) ? request.Sparsity ?? defaultSparsity : 0;
        return (new CompressionRecipe(request.Stages, sparsity, bits.Conv, bits.Fc), null);
    }

    /// <summary>Compresses <paramref name="model"/> one shot and measures every stage.</summary>
    /// <param name="data">Test images (and, for ImageNet nets, the preprocessing model).</param>
    /// <param name="decided">A recipe (and plan) already chosen, e.g. by a caller that planned for fine-tuning; null: decide here.</param>
    public static CompressionOutcome Run(Model model, CompressionRequest request, QuantizationData data, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default, (CompressionRecipe Recipe, BudgetPlan? Plan)? decided = null)
    {
        var clock = Stopwatch.StartNew();
        var (recipe, plan) = decided ?? Decide(model, request, CompressionRequest.DefaultSparsity, StageJudge.ForPlanner(model, data, request.Images), progress: progress, cancellationToken: cancellationToken);
        var judge = StageJudge.For(model, data, request.Images);
        if (recipe.Stages == CompressionStages.None)
            return new CompressionOutcome(model, model, recipe, "nothing to do: the dense model fits the budget", plan,
                [new("dense fp32", model.InitializerBytes, judge.JudgeOriginal(cancellationToken))], null, null, request.Budget, judge.Description, clock.Elapsed.TotalSeconds);

        progress?.Report("pruning");
        var pruned = recipe.Sparsity > 0 ? OneShotPruning.Prune(model, recipe.LayerSparsity(model)) : model;
        progress?.Report("sharing and coding");
        var compressed = DeepCompression.Compress(pruned, recipe.Settings(pruned));
        progress?.Report("judging every stage");
        var decoded = recipe.Stages.HasFlag(CompressionStages.Huffman)
            ? ModelLoader.Validate(DeepCompression.Decompress(compressed.ToArray(), $"{model.Name}-compressed", "Deep Compression file"))
            : null;
        var stages = Waterfall(recipe.Stages, compressed.Report, judge.JudgeOriginal(cancellationToken),
            recipe.Sparsity > 0 ? judge.Judge(pruned, cancellationToken) : null,
            recipe.Stages.HasFlag(CompressionStages.Share) ? judge.Judge(compressed.Shared, cancellationToken) : null,
            decoded is null ? null : judge.Judge(decoded, cancellationToken));
        var result = decoded ?? (recipe.Stages.HasFlag(CompressionStages.Share) ? compressed.Shared : pruned);
        string method = $"one shot, no retraining: {recipe}" + (plan is null ? "" : " (chosen by the budget planner)");
        return new CompressionOutcome(model, result, recipe, method, plan, stages, compressed.Report,
            decoded is null ? null : compressed.ToArray(), request.Budget, judge.Description, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The waterfall bars of the stages that ran, with the quality of each stage's model.</summary>
    public static IReadOnlyList<CompressionStageResult> Waterfall(CompressionStages stages, CompressionReport report, StageQuality dense,
        StageQuality? pruned, StageQuality? shared, StageQuality? decoded)
    {
        var bars = new List<CompressionStageResult> { new("dense fp32", report.Stages.DenseFp32, dense) };
        if (stages.HasFlag(CompressionStages.Prune)) bars.Add(new("pruned (relative index, fp32 values)", report.Stages.Sparse, pruned));
        if (stages.HasFlag(CompressionStages.Share)) bars.Add(new("shared (cluster indices + codebooks)", stages.HasFlag(CompressionStages.Prune)
            ? report.Stages.Shared : SharedDense(report), shared));
        if (stages.HasFlag(CompressionStages.Huffman)) bars.Add(new("Huffman-coded file", report.Stages.Huffman, decoded));
        return bars;
    }

    /// <summary>Shared without pruning: a weight-bits index per weight (no relative index), plus codebooks; the rest raw.</summary>
    private static long SharedDense(CompressionReport report) =>
        report.Stages.DenseFp32 - report.Layers.Sum(l => 4 * l.Weights) + report.Layers.Sum(l => (l.Weights * l.WeightBits + 7) / 8 + (4L << l.WeightBits));
}
