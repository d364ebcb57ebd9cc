using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Runtime.Profiling;

namespace Talk.Kit.Tests.Runtime.Profiling;

public class ProfileSummaryTests
{
    /// <summary>
    /// Run 0 is warm-up (its 1,000 µs must vanish). Runs 1–3 last 40, 50, 60 µs from starts 100, 200, 300:
    /// a (Conv) 10, 20, 30 µs; b (Relu) 5, 5, 5; c (Conv) 1, 3, 2.
    /// </summary>
    private static OrtTrace ThreeRunsAfterWarmup()
    {
        OrtRunSpan[] runs = [new(0, 0, 1000), new(1, 100, 40), new(2, 200, 50), new(3, 300, 60)];
        var nodes = new List<OrtNodeEvent> { Kernel("a", "Conv", 0, 1, 900), Kernel("b", "Relu", 0, 901, 50), Kernel("c", "Conv", 0, 951, 40) };
        double[] a = [10, 20, 30], b = [5, 5, 5], c = [1, 3, 2];
        for (int r = 1; r <= 3; r++)
        {
            double t = runs[r].StartMicroseconds + 2;
            nodes.Add(Kernel("a", "Conv", r, t, a[r - 1]));
            nodes.Add(Kernel("b", "Relu", r, t += a[r - 1] + 1, b[r - 1]));
            nodes.Add(Kernel("c", "Conv", r, t + b[r - 1] + 1, c[r - 1]));
        }
        return new OrtTrace("synthetic", runs, nodes);
    }

    private static OperatorProfile Summarize(OrtTrace trace, int warmup = 1) =>
        ProfileSummary.Summarize(trace, warmup, "m", batch: 1, threads: 1, GraphOptimizationLevel.ORT_ENABLE_ALL);

    [Fact]
    public void Nodes_MediansPercentilesAndShares_ByHand()
    {
        var p = Summarize(ThreeRunsAfterWarmup());

        Assert.Equal(3, p.Runs);
        Assert.Equal(["a", "b", "c"], p.Nodes.Select(n => n.Name)); // medians 20, 5, 2: slowest first
        Assert.Equal([20.0, 5, 2], p.Nodes.Select(n => n.MedianMicroseconds));
        // Type-7 percentiles of {10, 20, 30}: P10 = 10 + 0.2·10 = 12, P90 = 20 + 0.8·10 = 28.
        Assert.Equal(12, p.Nodes[0].P10Microseconds, 9);
        Assert.Equal(28, p.Nodes[0].P90Microseconds, 9);
        // Shares of the sum of medians 20 + 5 + 2 = 27.
        Assert.Equal([20.0 / 27, 5.0 / 27, 2.0 / 27], p.Nodes.Select(n => n.Share));
        Assert.All(p.Nodes, n => Assert.Equal(3, n.Runs));
    }

    [Fact]
    public void OpTypes_TakeTheMedianOfPerRunSums()
    {
        var p = Summarize(ThreeRunsAfterWarmup());

        // Conv per run: 10+1, 20+3, 30+2 = 11, 23, 32 → 23 (not 20 + 2 = 22, the sum of the node medians). Relu: 5.
        Assert.Equal([new OpTypeTiming("Conv", 2, 23, 23.0 / 28), new OpTypeTiming("Relu", 1, 5, 5.0 / 28)], p.OpTypes);
    }

    [Fact]
    public void RunTotals_AreMediansOverMeasuredRuns()
    {
        var p = Summarize(ThreeRunsAfterWarmup());

        Assert.Equal(50, p.RunMedianMicroseconds);       // 40, 50, 60
        Assert.Equal(28, p.NodeSumMedianMicroseconds);   // 16, 28, 37
    }

    [Fact]
    public void Timeline_IsTheMedianRun_RelativeToItsStart()
    {
        var p = Summarize(ThreeRunsAfterWarmup());

        // Run 2 (50 µs) starts at 200: a at 202 for 20, b at 223 for 5, c at 229 for 3.
        Assert.Equal(50, p.TimelineRunMicroseconds);
        Assert.Equal([new TimelineEvent("a", "Conv", 2, 20), new TimelineEvent("b", "Relu", 23, 5), new TimelineEvent("c", "Conv", 29, 3)], p.Timeline);
    }

    [Fact]
    public void EvenRunCount_TimelineTakesTheLowerMiddleRun()
    {
        OrtRunSpan[] runs = [new(0, 0, 30), new(1, 100, 10)];
        var p = Summarize(new OrtTrace("t", runs, [Kernel("a", "Add", 0, 1, 20), Kernel("a", "Add", 1, 101, 4)]), warmup: 0);

        Assert.Equal(20, p.RunMedianMicroseconds);
        Assert.Equal(10, p.TimelineRunMicroseconds);
        Assert.Equal([new TimelineEvent("a", "Add", 1, 4)], p.Timeline);
    }

    [Fact]
    public void NodeMissingFromSomeRuns_CountsItsRuns_AndItsTypeCountsZeroElsewhere()
    {
        var trace = ThreeRunsAfterWarmup();
        trace = trace with { Nodes = [.. trace.Nodes, Kernel("d", "Add", 3, 350, 9)] };

        var p = Summarize(trace);

        var d = p.Nodes.Single(n => n.Name == "d");
        Assert.Equal(1, d.Runs);
        Assert.Equal(9, d.MedianMicroseconds);
        Assert.Equal(0, p.OpTypes.Single(o => o.OpType == "Add").MedianMicroseconds); // per-run sums 0, 0, 9
        Assert.Equal(1, p.Nodes.Sum(n => n.Share), 9);
    }

    [Fact]
    public void NoRunAfterWarmup_IsAnError()
    {
        var e = Assert.Throws<OrtProfileFormatException>(() => Summarize(ThreeRunsAfterWarmup(), warmup: 4));

        Assert.Contains("none after the 4 warm-up runs", e.Message);
    }

    private static OrtNodeEvent Kernel(string node, string op, int run, double start, double duration) =>
        new(node, op, "CPUExecutionProvider", start, duration, run, [], []);
}
