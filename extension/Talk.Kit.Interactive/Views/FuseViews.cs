using System.Text;
using Talk.Kit.Fusion;
using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>Text and HTML views of <see cref="FuseReport"/>.</summary>
internal static class FuseViews
{
    public static string ToText(FuseReport r)
    {
        var s = r.Study;
        var text = new StringBuilder($"#!fuse {r.Original} → {r.Fused}: {s.Result.Report}\n");
        foreach (var a in s.Result.Report.Applications)
            text.AppendLine($"  round {a.Iteration} {a.Pass}: {a.Result.Changes.Count} change(s); ORT check max |Δ| {a.Equivalence.MaxAbsDiff:0.##e+0}, max rel {a.Equivalence.MaxRelDiff:0.##e+0}");
        text.AppendLine("Nodes by graph: " + string.Join("; ", s.Comparison.Graphs.Select(g => $"{g.Graph} {g.Nodes}")));
        foreach (var m in s.Comparison.Matches)
            text.AppendLine("  " + m);
        foreach (var v in s.Comparison.Latency.Variants)
            text.AppendLine($"  {v.Name,-24} median {v.Timing.Latency.Median,8:0.000} ms  × first {v.Timing.RatioToBaseline.Median:0.00}");
        foreach (var (claim, ratio) in Goals(s.Comparison))
            text.AppendLine($"  {claim}: {ratio:0.000}");
        return text.ToString();
    }

    public static string ToHtml(FuseReport r)
    {
        var s = r.Study;
        var report = s.Result.Report;
        var html = new StringBuilder("<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">");
        html.Append(Heading($"'{r.Original}' fused into '{r.Fused}': {report.NodesBefore} → {report.NodesAfter} nodes", 3));
        html.Append(Paragraph(report.EndToEnd is { } e
            ? $"ONNX Runtime ran the original and the fused graph on the same inputs: max |Δ| {e.MaxAbsDiff:0.##e+0}, which is {e.MaxDiffOverScale:0.##e+0} of the largest output value (allowed: {e.Tolerance}); every pass was checked the same way as it ran."
            : "No pass found anything to change."));
        html.Append(Table(["round", "pass", "changes", "max |Δ| vs before the pass", "what changed"],
            report.Applications.Select(a => (IReadOnlyList<object?>)[a.Iteration, a.Pass, a.Result.Changes.Count, $"{a.Equivalence.MaxAbsDiff:0.##e+0}",
                string.Join("; ", a.Result.Changes.Take(6).Select(c => c.ToString())) + (a.Result.Changes.Count > 6 ? " …" : "")])));

        html.Append(Heading("Node counts: ours beside ONNX Runtime's optimizer"));
        var ops = s.Comparison.Graphs.SelectMany(g => g.OpCounts.Keys).Distinct().Order().ToList();
        html.Append(Table(["op", .. s.Comparison.Graphs.Select(g => g.Graph)],
            ops.Select(op => (IReadOnlyList<object?>)[op, .. s.Comparison.Graphs.Select(g => (object?)(g.OpCounts.GetValueOrDefault(op) is int n and > 0 ? n : "–"))])
               .Append([new Raw("<b>total</b>"), .. s.Comparison.Graphs.Select(g => (object?)g.Nodes)])));

        html.Append(Table(["graphs compared", "same nodes and attributes (names aside)?", "differences"],
            s.Comparison.Matches.Select(m => (IReadOnlyList<object?>)[$"{m.Left} vs {m.Right}", m.Same ? "yes" : "no",
                m.Same ? "–" : string.Join("; ", m.Differences.Take(6)) + (m.Differences.Count > 6 ? " …" : "")])));

        html.Append(Heading("Latency: original and ours, with ORT's optimizer off and on (interleaved)"));
        html.Append(ProfileViews.LatencyHtml(s.Comparison.Latency));
        html.Append(Table(["ratio (median of per-round ratios; < 1 is faster)", "value"],
            Goals(s.Comparison).Select(g => (IReadOnlyList<object?>)[g.Claim, Format.Number(g.Ratio, "0.000")])));

        html.Append(Heading("Before")).Append(ModelGraph.ToHtml(s.Before));
        html.Append(Heading("After (nodes the passes created or rewrote in red)")).Append(ModelGraph.ToHtml(s.After, s.ChangedNodes.ToHashSet()));
        return html.Append("</div>").ToString();
    }

    /// <summary>The two latency questions of graph fusion, as per-round ratios.</summary>
    private static IEnumerable<(string Claim, double Ratio)> Goals(FusionComparison c)
    {
        yield return ("ours at ORT off / original at ORT extended", c.OursOffOverOriginalExtended);
        yield return ("ours at ORT all / original at ORT all", c.OursAllOverOriginalAll);
    }

    /// <summary>JSON: the report and the measurements, not the models' bytes.</summary>
    public static object Json(FuseReport r) => new
    {
        r.Original, r.Fused, r.Study.Result.Report, r.Study.ChangedNodes, r.Study.Comparison,
        Before = r.Study.Before.Totals, After = r.Study.After.Totals,
    };
}
