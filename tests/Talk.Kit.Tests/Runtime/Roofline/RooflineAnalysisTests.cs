using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Roofline;
using static Talk.Kit.Tests.Runtime.Roofline.Nodes;

namespace Talk.Kit.Tests.Runtime.Roofline;

public class RooflineAnalysisTests
{
    // Roofs: 100 GFLOP/s fp32, 25 GB/s → ridge 4 FLOP/B.
    private static readonly MachineRoofline roof = Roofs.Synthetic();

    private static ModelSummary Model(params NodeSummary[] nodes) => new("tiny", "sha", 1, [], [],
        nodes.Select((n, i) => n with { Index = i, Name = $"{n.OpType.ToLowerInvariant()}{i}" }).ToArray(),
        new SummaryTotals(0, 0, 0, 0, 0, 0, []), "1.0.0");

    private static readonly NodeSummary conv = Summary("Conv", [F32("x", 1, 1, 28, 28), F32("w", 6, 1, 5, 5), F32("b", 6)],
        [F32("y", 1, 6, 28, 28)], ["w", "b"], ("pads", new long[] { 2, 2, 2, 2 })); // 239,904 FLOP, 22,576 B, ≈ 10.63 FLOP/B
    private static readonly NodeSummary relu = Summary("Relu", [F32("y", 1, 6, 28, 28)], [F32("z", 1, 6, 28, 28)], []); // 4,704 FLOP, 37,632 B, 1/8

    [Fact]
    public void EachTimedNode_GetsItsRoofAndEfficiency()
    {
        // conv0 in 4.79808 µs → 239,904 / 4.79808 / 10³ = 50 GFLOP/s; compute-bound (10.63 ≥ 4): attainable 100 → 50 %.
        // relu1 in 1.5 µs → 4,704 / 1.5 / 10³ = 3.136 GFLOP/s; memory-bound: attainable 0.125 × 25 = 3.125 → ~100 %.
        var analysis = RooflineAnalysis.Of(Model(conv, relu), new Dictionary<string, double> { ["conv0"] = 4.79808, ["relu1"] = 1.5 }, roof);

        var c = analysis.Points[0];
        Assert.Equal(("conv0", RooflineBound.ComputeBound), (c.Node, c.Bound));
        Assert.Equal(50, c.AchievedGflops!.Value, 9);
        Assert.Equal(100, c.AttainableGflops);
        Assert.Equal(0.5, c.Efficiency!.Value, 9);

        var r = analysis.Points[1];
        Assert.Equal(RooflineBound.MemoryBound, r.Bound);
        Assert.Equal(0.125, r.ArithmeticIntensity);
        Assert.Equal(3.125, r.AttainableGflops);
        Assert.Equal(3.136 / 3.125, r.Efficiency!.Value, 9);
        Assert.Empty(analysis.Untimed);
    }

    [Fact]
    public void NodesWithoutTimes_AreListedApart_AndUnknownTimesAreNamed()
    {
        // ORT fused conv0+relu1 into one FusedConv: the summary's relu has no time, the fused node has no summary row.
        var analysis = RooflineAnalysis.Of(Model(conv, relu), new Dictionary<string, double> { ["conv0"] = 5, ["conv0_fused"] = 3 }, roof);

        Assert.Equal(["conv0"], analysis.Points.Select(p => p.Node));
        Assert.Equal(["relu1"], analysis.Untimed.Select(t => t.Node));
        Assert.Equal(["conv0_fused"], analysis.UnmatchedTimings);
    }

    [Fact]
    public void ByOpType_SumsWorkBytesAndTime_BeforeDividing()
    {
        // Two Relus of 4,704 FLOP and 37,632 B each, 1 µs and 3 µs: Σ = 9,408 FLOP, 75,264 B, 4 µs → 2.352 GFLOP/s at 1/8 FLOP/B.
        var analysis = RooflineAnalysis.Of(Model(relu, relu, conv), new Dictionary<string, double> { ["relu0"] = 1, ["relu1"] = 3, ["conv2"] = 10 }, roof);

        var reluRow = analysis.ByOpType.Single(a => a.OpType == "Relu");
        Assert.Equal((2, 9_408L, 75_264L, 4.0), (reluRow.Nodes, reluRow.Flops, reluRow.MinimumBytes, reluRow.Microseconds));
        Assert.Equal(2.352, reluRow.AchievedGflops!.Value, 9);
        Assert.Equal(2.352 / 3.125, reluRow.Efficiency!.Value, 9);
        Assert.Equal("Conv", analysis.ByOpType[0].OpType); // most time first
    }

    [Fact]
    public void ZeroFlopNodes_HaveNoEfficiency()
    {
        var reshape = Summary("Reshape", [F32("x", 1, 400)], [F32("y", 400)], []);
        var p = RooflineAnalysis.Of(Model(reshape), new Dictionary<string, double> { ["reshape0"] = 0.5 }, roof).Points.Single();
        Assert.Equal(RooflineBound.MemoryBound, p.Bound);
        Assert.Null(p.Efficiency);
    }
}
