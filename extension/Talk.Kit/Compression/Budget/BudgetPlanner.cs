using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Pipeline;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Budget;

/// <summary>
/// Chooses the stages and bits of Deep Compression that make a model's file fit a size budget (an app-store download
/// limit, a share of an app's size). Every candidate is compressed for real, one shot, and measured in bytes; among
/// those that fit, the planner takes the one that does best on held-out data (accuracy, or agreement with the original)
/// when it is given a judge, else the one whose weights moved least, ‖W − Ŵ‖² / ‖W‖² averaged over layers. Weight error
/// alone is a poor guide across stages: on ResNet-18, 4-bit sharing (error 0.019) keeps a cosine of only 0.36 with the
/// original's features. Retraining lowers the accuracy cost of every candidate but hardly changes its size, so the
/// same plan serves both.
/// </summary>
/// <remarks>
/// The grid: sparsity 0, 50, 70, 80, 90, 95 % in every compressed layer × (conv, fc) bits (8, 5) — the paper's — then
/// (6, 5), (5, 4), (4, 3), (3, 2). File size falls as sparsity rises, and at 5 or more bits so does fidelity, so for
/// each bit setting the walk stops at the first sparsity that fits: what lies beyond is smaller but moves the weights
/// more. (At 2–3 bits pruning can lower the error — zero becomes one more level — so there the stop is a heuristic.)
/// Measured on LeNet-300-100 one shot: 50% pruning costs 3.5 points of accuracy, 8/5-bit sharing 0.1; the planner
/// therefore reaches for fewer bits before it prunes.
/// </remarks>
public static class BudgetPlanner
{
    /// <summary>Sparsities tried when pruning is allowed.</summary>
    public static IReadOnlyList<double> Sparsities { get; } = [0, 0.5, 0.7, 0.8, 0.9, 0.95];

    /// <summary>Share of the budget kept free when the recipe will be fine-tuned (the planner's files are one shot).</summary>
    public const double RetrainedMargin = 0.05;

    /// <summary>(conv, fc) weight-sharing bits tried, gentlest first.</summary>
    public static IReadOnlyList<(int Conv, int Fc)> Bits { get; } = [(8, 5), (6, 5), (5, 4), (4, 3), (3, 2)];

    /// <param name="model">The model to fit (not changed).</param>
    /// <param name="budget">Bytes the <c>.tkdc</c> file may take.</param>
    /// <param name="stages">Stages allowed (must include share and huffman: the budget is checked against the real file).</param>
    /// <param name="sparsity">A fixed sparsity instead of the grid's.</param>
    /// <param name="bits">Fixed (conv, fc) bits instead of the grid's.</param>
    /// <param name="judge">Scores a fitting candidate's one-shot model (higher is better), and says what the score is; null: weight error decides.</param>
    /// <param name="retrained">The chosen recipe will be applied with fine-tuning: see <see cref="RetrainedMargin"/> and <see cref="BudgetPlan.Retrained"/>.</param>
    /// <param name="progress">Reports each recipe as it is tried.</param>
    public static BudgetPlan Plan(Model model, long budget, CompressionStages stages = CompressionStages.All, double? sparsity = null,
        (int Conv, int Fc)? bits = null, (Func<Model, double> Score, string Measure)? judge = null, bool retrained = false,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        CompressionPipeline.Check(stages);
        if (!stages.HasFlag(CompressionStages.Huffman))
            throw new ArgumentException("A size budget is checked against the real compressed file, which the huffman stage writes: use share,huffman or prune,share,huffman with a budget.", nameof(stages));
        if (model.SizeBytes <= budget) return new BudgetPlan(budget, model.SizeBytes, [], null);

        var sparsities = sparsity is double s ? [s] : stages.HasFlag(CompressionStages.Prune) ? Sparsities : [0.0];
        var bitGrid = bits is { } b ? [b] : Bits;
        var layers = CompressionSettings.ForModel(model).Layers.Select(l => l.Initializer).ToArray();
        if (layers.Length == 0)
            throw new ArgumentException($"Model '{model.Name}' has no conv or fc weights large enough for a codebook to pay (see CodebookBits).", nameof(model));
        var original = layers.ToDictionary(l => l, l => model.FloatInitializer(l));
        // Fine-tuning moves the weights, so the final file's Huffman streams differ a little from the one-shot file's.
        long target = retrained ? (long)(budget * (1 - RetrainedMargin)) : budget;
        var pruned = new Dictionary<double, Model>(); // one pruning per sparsity, shared by every bit setting
        var tried = new List<BudgetCandidate>();
        foreach (var (conv, fc) in bitGrid)
        {
            foreach (double sp in sparsities)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var recipe = new CompressionRecipe(sp > 0 ? stages : stages & ~CompressionStages.Prune, sp, conv, fc);
                progress?.Report($"trying {recipe}");
                if (!pruned.TryGetValue(sp, out var input))
                    pruned[sp] = input = sp > 0 ? OneShotPruning.Prune(model, recipe.LayerSparsity(model)) : model;
                var compressed = DeepCompression.Compress(input, recipe.Settings(input));
                bool fits = compressed.Report.FileBytes <= target;
                double? quality = fits && !retrained && judge is { } j ? j.Score(compressed.Shared) : null;
                tried.Add(new BudgetCandidate(recipe, compressed.Report.FileBytes, WeightError(original, compressed.Shared), fits, quality));
                if (fits) break; // sparser is smaller still, but moves the weights more
            }
        }
        var fitting = tried.Where(c => c.Fits).ToList();
        var chosen = retrained ? fitting.FirstOrDefault() // the most bits, then the least pruning: see BudgetPlan.Retrained
            : judge is null ? fitting.MinBy(c => c.WeightError)
            : fitting.OrderByDescending(c => c.Quality).ThenBy(c => c.WeightError).FirstOrDefault();
        return new BudgetPlan(budget, model.SizeBytes, tried, chosen, retrained ? null : judge?.Measure, retrained, target);
    }

    /// <summary>Mean over layers of ‖W − Ŵ‖² / ‖W‖² (0 when nothing changed).</summary>
    public static double WeightError(IReadOnlyDictionary<string, float[]> original, Model compressed)
    {
        double sum = 0;
        foreach (var (name, w) in original)
        {
            var c = compressed.FloatInitializer(name);
            double error = 0, energy = 0;
            for (int i = 0; i < w.Length; i++)
            {
                double d = w[i] - c[i];
                error += d * d;
                energy += (double)w[i] * w[i];
            }
            sum += energy == 0 ? 0 : error / energy;
        }
        return original.Count == 0 ? 0 : sum / original.Count;
    }
}
