using Talk.Kit.Compression.Budget;
using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Pipeline;
using Talk.Kit.Models;
using Talk.Kit.Tests.Compression.Container;

namespace Talk.Kit.Tests.Compression.Pipeline;

public class BudgetPlannerTests
{
    /// <summary>x[N,784] → Gemm 300×784 → Relu → Gemm 10×300, dense Gaussian weights (He init): ~950 KB of fp32.</summary>
    private static readonly Model Dense = Build();

    private static Model Build()
    {
        var random = new Random(11);
        return Model.FromBytes(new OnnxGraphBuilder("dense-mlp")
            .Input("x", OnnxElementType.Float, -1, 784)
            .Initializer("W1", GemmNet.Gaussian(random, 300 * 784, Math.Sqrt(2.0 / 784)), 300, 784).Initializer("b1", new float[300], 300)
            .Initializer("W2", GemmNet.Gaussian(random, 10 * 300, Math.Sqrt(2.0 / 300)), 10, 300).Initializer("b2", new float[10], 10)
            .Node("Gemm", ["x", "W1", "b1"], ["h"], new Dictionary<string, object> { ["transB"] = 1L }, "fc1")
            .Node("Relu", ["h"], ["r"], name: "relu")
            .Node("Gemm", ["r", "W2", "b2"], ["y"], new Dictionary<string, object> { ["transB"] = 1L }, "fc2")
            .Output("y", OnnxElementType.Float, -1, 10)
            .ToBytes(), "dense-mlp");
    }

    [Fact]
    public void ADenseModelWithinBudget_NeedsNoStage()
    {
        var plan = BudgetPlanner.Plan(Dense, Dense.SizeBytes);
        Assert.True(plan.DenseFits);
        Assert.Null(plan.Chosen);
        Assert.Empty(plan.Tried);
        Assert.Contains("no compression needed", plan.Explanation);
    }

    [Fact]
    public void UnderABudget_TheChoiceFits_MovesTheWeightsLeast_AndItsSizeIsTheRealFilesSize()
    {
        const long budget = 100_000; // ~9.5× below dense: 5-bit sharing alone cannot reach it, pruning must help
        var plan = BudgetPlanner.Plan(Dense, budget);

        var chosen = Assert.IsType<BudgetCandidate>(plan.Chosen);
        Assert.True(chosen.FileBytes <= budget);
        Assert.Equal(plan.Tried.Where(c => c.Fits).Min(c => c.WeightError), chosen.WeightError);
        Assert.All(plan.Tried, c => Assert.Equal(c.FileBytes <= budget, c.Fits));
        // Per bit setting the walk goes up in sparsity and stops at the first fit.
        foreach (var group in plan.Tried.GroupBy(c => (c.Recipe.ConvBits, c.Recipe.FcBits)))
        {
            Assert.Equal(group.Select(c => c.Recipe.Sparsity).Order(), group.Select(c => c.Recipe.Sparsity));
            Assert.All(group.SkipLast(1), c => Assert.False(c.Fits));
        }
        // Real, not estimated: compressing the chosen recipe again gives a file of exactly that size.
        var pruned = chosen.Recipe.Sparsity > 0 ? OneShotPruning.Prune(Dense, chosen.Recipe.LayerSparsity(Dense)) : Dense;
        Assert.Equal(chosen.FileBytes, DeepCompression.Compress(pruned, chosen.Recipe.Settings(pruned)).Bytes.Length);
    }

    [Fact]
    public void MoreSparsity_GivesSmallerFiles_AndAtThePapersBits_LargerWeightError()
    {
        var plan = BudgetPlanner.Plan(Dense, 1_000); // fits nothing: every bit setting walks all sparsities
        Assert.Null(plan.Chosen);
        Assert.Equal(BudgetPlanner.Sparsities.Count * BudgetPlanner.Bits.Count, plan.Tried.Count);
        foreach (var group in plan.Tried.GroupBy(c => (c.Recipe.ConvBits, c.Recipe.FcBits)))
        {
            var sizes = group.Select(c => c.FileBytes).ToList();
            Assert.Equal(sizes.OrderDescending(), sizes);
        }
        // With many clusters, pruning only adds error. (With very few, pruning can lower it: zero becomes one more level.)
        var paper = plan.Tried.Where(c => (c.Recipe.ConvBits, c.Recipe.FcBits) == (8, 5)).Select(c => c.WeightError).ToList();
        Assert.Equal(paper.Order(), paper);
        Assert.Contains("No recipe fits", plan.Explanation);
        Assert.Equal(plan.Tried.Min(c => c.FileBytes), plan.SmallestBytes);
    }

    [Fact]
    public void WithAJudge_TheBestScoringFitWins_AndOnlyFitsAreScored()
    {
        // A judge that likes zeros: it must pick the sparsest recipe that fits, whatever its weight error.
        static double Zeros(Model m) => m.FloatInitializer("W1").Count(x => x == 0) / (double)(300 * 784);
        var plan = BudgetPlanner.Plan(Dense, 100_000, judge: (Zeros, "share of zeros"));

        var fits = plan.Tried.Where(c => c.Fits).ToList();
        Assert.Equal(fits.Max(c => c.Quality), plan.Chosen!.Quality);
        Assert.Equal(fits.Max(c => c.Recipe.Sparsity), plan.Chosen.Recipe.Sparsity);
        Assert.All(plan.Tried.Where(c => !c.Fits), c => Assert.Null(c.Quality));
        Assert.Contains("share of zeros", plan.Explanation);
    }

    [Fact]
    public void ForARetrainedNet_TheMostBitsWin_PrunedAsMuchAsNeeded_WithRoomToSpare()
    {
        var plan = BudgetPlanner.Plan(Dense, 100_000, retrained: true);

        Assert.Equal(95_000, plan.Target);
        var chosen = plan.Chosen!;
        Assert.Equal(plan.Tried.First(c => c.Fits), chosen);
        Assert.Equal((8, 5), (chosen.Recipe.ConvBits, chosen.Recipe.FcBits)); // the paper's bits fit once pruned enough
        Assert.True(chosen.FileBytes <= 95_000);
        Assert.All(plan.Tried.Where(c => c.Recipe.Sparsity < chosen.Recipe.Sparsity && c.Recipe.FcBits == 5 && c.Recipe.ConvBits == 8), c => Assert.False(c.Fits));
        Assert.Contains("the most bits", plan.Explanation);
    }

    [Fact]
    public void SmallLayers_ArePrunedAtMost70Percent()
    {
        var sparsity = new CompressionRecipe(CompressionStages.All, 0.95, 8, 5).LayerSparsity(Dense);
        Assert.Equal(0.95, sparsity["W1"]);  // 235,200 of 238,200 weights
        Assert.Equal(0.7, sparsity["W2"]);   // 3,000: 1.3% of the weights
        Assert.Equal(0.5, new CompressionRecipe(CompressionStages.All, 0.5, 8, 5).LayerSparsity(Dense)["W2"]);
    }

    [Fact]
    public void ABudgetWithoutTheHuffmanStage_IsRefused() =>
        Assert.Contains("checked against the real compressed file", Assert.Throws<ArgumentException>(
            () => BudgetPlanner.Plan(Dense, 10_000, CompressionStages.Prune | CompressionStages.Share)).Message);
}
