using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public class FusionComparisonTests
{
    [Fact]
    public void SmallCnn_OursEqualsOrtExtended_AndBothEndInTheSameGraphAtAll()
    {
        var original = SmallCnn();
        var fused = FusionPipeline.Default.Run(original).Model;

        var comparison = FusionComparison.Measure(original, fused, runs: 3);

        Assert.Equal(["original", "ours", "ORT basic", "ORT extended", "ORT all"], comparison.Graphs.Select(g => g.Graph));
        Assert.All(comparison.Matches, m => Assert.True(m.Same, m + ": " + string.Join("; ", m.Differences)));
        Assert.Equal([FusionComparison.OriginalOff, FusionComparison.OursOff, FusionComparison.OriginalExtended, FusionComparison.OriginalAll, FusionComparison.OursAll],
            comparison.Latency.Variants.Select(v => v.Name));
        Assert.Equal(["ORT_DISABLE_ALL", "ORT_DISABLE_ALL", "ORT_ENABLE_EXTENDED", "ORT_ENABLE_ALL", "ORT_ENABLE_ALL"], comparison.Latency.Variants.Select(v => v.Level));
        Assert.Equal(3, comparison.Latency.Rounds);
    }

    [Fact]
    public void Unfused_IsNotOrtExtended_AndTheDifferenceNamesTheNodes()
    {
        var original = SmallCnn();
        var extended = OrtOptimizer.Optimize(original, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED);

        var match = GraphMatch.Of("original", original, "ORT extended", extended);

        Assert.False(match.Same);
        Assert.Contains(match.Differences, d => d.StartsWith("+ BatchNormalization"));
        Assert.Contains(match.Differences, d => d.StartsWith("− com.microsoft:FusedConv"));
    }
}
