using Talk.Kit.Compression.Pipeline;
using Talk.Kit.Models;
using Talk.Kit.Tests.Compression.Container;

namespace Talk.Kit.Tests.Compression.Pipeline;

public class OneShotPruningTests
{
    [Fact]
    public void PruneInPlace_ZerosExactlyTheSmallestMagnitudes()
    {
        float[] w = [0.5f, -0.1f, 0.3f, -0.7f, 0.05f, 0.2f, -0.25f, 0.9f, -0.01f, 0.4f];
        OneShotPruning.PruneInPlace(w, 0.6);
        Assert.Equal([0.5f, 0, 0, -0.7f, 0, 0, 0, 0.9f, 0, 0.4f], w);
    }

    [Fact]
    public void Prune_ReachesTheSparsityInEveryNamedLayer_LeavesTheRestAndTheInputAlone()
    {
        var w = GemmNet.Weights();
        var dense = GemmNet.Build((GemmNet.Gaussian(new Random(5), 32 * 64), w.B1, GemmNet.Gaussian(new Random(6), 10 * 32), w.B2));
        var before = dense.FloatInitializer("W1");

        var pruned = OneShotPruning.Prune(dense, ["W1", "W2"], 0.7);

        Assert.Equal((int)Math.Round(0.7 * 32 * 64), pruned.FloatInitializer("W1").Count(x => x == 0));
        Assert.Equal((int)Math.Round(0.7 * 10 * 32), pruned.FloatInitializer("W2").Count(x => x == 0));
        Assert.Equal(w.B1, pruned.FloatInitializer("b1"));
        Assert.Equal(before, dense.FloatInitializer("W1")); // the input model is not changed
        var kept = pruned.FloatInitializer("W1").Where(x => x != 0).Min(Math.Abs);
        var dropped = before.Where((x, i) => pruned.FloatInitializer("W1")[i] == 0).Max(Math.Abs);
        Assert.True(dropped <= kept, $"a dropped weight ({dropped}) is larger than a kept one ({kept})");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Prune_RefusesASparsityOutsideZeroToOne(double sparsity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OneShotPruning.Prune(GemmNet.Build(GemmNet.Weights()), ["W1"], sparsity));
}
