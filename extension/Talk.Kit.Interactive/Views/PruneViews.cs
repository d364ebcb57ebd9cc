using System.Runtime.CompilerServices;
using System.Text;
using Plotly.NET;
using Talk.Kit.Training.Pruning;
using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>Text, HTML and JSON views of <see cref="SensitivityMagicReport"/> and <see cref="PruneReport"/>.</summary>
internal static class PruneViews
{
    public static string SensitivityText(SensitivityMagicReport r)
    {
        var c = r.Curves;
        var text = new StringBuilder($"#!sensitivity {r.Model}: dense accuracy {Format.Percent(c.DenseAccuracy, 2)} on {r.Images} test images, one layer pruned at a time, no retraining\n");
        var safe = r.SafeSparsity.ToDictionary(s => s.Layer, s => s.Sparsity);
        foreach (var l in c.Layers)
            text.AppendLine($"  {l.Layer,-20} {l.Weights,9:N0} weights, within 1 point up to {Format.Percent(safe[l.Layer], 0),4}: " +
                string.Join("  ", l.Points.Select(p => $"{Format.Percent(p.Sparsity, 0)} {Format.Percent(p.Accuracy, 1)}")));
        return text.ToString();
    }

    public static string SensitivityHtml(SensitivityMagicReport r)
    {
        var c = r.Curves;
        var html = new StringBuilder("<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">");
        html.Append(Heading($"Pruning sensitivity of '{r.Model}'", 3));
        html.Append(Paragraph($"Each layer alone pruned by magnitude, the others untouched, no retraining; accuracy by ONNX Runtime on {r.Images} test images. " +
                              $"Dense accuracy {Format.Percent(c.DenseAccuracy, 2)}. Flat curves can be pruned hard; steep ones are sensitive."));
        html.Append(SensitivityChart(r));
        var safe = r.SafeSparsity.ToDictionary(s => s.Layer, s => s.Sparsity);
        var sparsities = c.Layers.Count == 0 ? [] : c.Layers[0].Points.Select(p => p.Sparsity).ToList();
        html.Append(Table(["layer", "weights", "max sparsity within 1 point", .. sparsities.Select(s => Format.Percent(s, 0))],
            c.Layers.Select(l => (IReadOnlyList<object?>)[l.Layer, Format.Count(l.Weights), Format.Percent(safe[l.Layer], 0), .. l.Points.Select(p => Format.Percent(p.Accuracy, 1))])));
        return html.Append("</div>").ToString();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string SensitivityChart(SensitivityMagicReport r)
    {
        var lines = r.Curves.Layers.Select(l => Plotly.NET.CSharp.Chart.Line<double, double, string>(
            x: l.Points.Select(p => p.Sparsity * 100).ToArray(), y: l.Points.Select(p => p.Accuracy * 100).ToArray(), Name: l.Layer, ShowMarkers: true)).ToList();
        var chart = Plotly.NET.CSharp.Chart.Combine(lines);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "sparsity of the layer, %");
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "top-1 accuracy, %");
        chart = Chart.withTitle("Accuracy as each layer alone is pruned", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 380);
    }

    /// <summary>JSON: the curves, and each layer's safe sparsity (tuples would serialize as nothing).</summary>
    public static object SensitivityJson(SensitivityMagicReport r) => new
    {
        r.Model, r.Images, r.Curves.DenseAccuracy, r.Curves.Data, r.Curves.Layers, SensitivityMagicReport.Budget,
        SafeSparsity = r.SafeSparsity.Select(s => new { s.Layer, s.Sparsity }),
    };

    public static string PruneText(PruneReport r)
    {
        var text = new StringBuilder($"#!prune {r.Original} → {r.Pruned}: {r.Method}\n");
        foreach (var (key, value) in Summary(r)) text.AppendLine($"  {key}: {value}");
        text.AppendLine(r.Structured ? "  per layer (filters removed: target → reached):" : "  per layer (zeros: target → reached):");
        foreach (var row in LayerRows(r)) text.AppendLine($"    {row[0],-20} {row[1],9} weights  {row[2],6} → {row[3],6}{(row[4] is "" ? "" : $"  filters {row[4]}")}");
        return text.ToString();
    }

    /// <summary>
    /// Per layer: name, weights, target, reached, filters before → after. Reached is the fraction of zeros, or, structured,
    /// the fraction of the conv's filters removed (its remaining weights are dense).
    /// </summary>
    private static IEnumerable<string[]> LayerRows(PruneReport r) => r.Layers.Select(l =>
    {
        bool conv = r.Channels.TryGetValue(l.Name, out var ch);
        string reached = !r.Structured ? Format.Percent(l.Sparsity, 1) : conv ? Format.Percent(1 - ch!.After / (double)ch.Before, 1) : "—";
        return new[] { l.Name, Format.Count(l.Weights), l.Target is double t ? Format.Percent(t, 1) : "dense", reached, conv ? $"{ch!.Before} → {ch.After}" : "" };
    });

    /// <summary>The headline numbers, shared by the text and HTML views.</summary>
    private static IEnumerable<(string Key, string Value)> Summary(PruneReport r)
    {
        var (b, a) = (r.Before, r.After);
        yield return ("targets", r.Targets);
        yield return ("parameters", $"{Format.Count(b.Parameters)} → {Format.Count(a.Parameters)}");
        yield return ("non-zero parameters", $"{Format.Count(b.NonZeros)} → {Format.Count(a.NonZeros)} (conv/linear weights {Format.Percent(r.TotalSparsity, 1)} zeros)");
        yield return ("ONNX file", $"{Format.Bytes(b.FileBytes)} → {Format.Bytes(a.FileBytes)}; gzipped {Format.Bytes(b.CompressedBytes)} → {Format.Bytes(a.CompressedBytes)}" +
            (r.Structured ? "" : " (dense storage keeps the zeros; only compression sees them)"));
        yield return ("accuracy", $"{Format.Percent(b.Accuracy.Accuracy, 2)} → {Format.Percent(a.Accuracy.Accuracy, 2)} ({a.Accuracy.Images} test images, after {r.FineTuning.Count} fine-tuning epoch(s))");
        var (dense, pruned) = (r.Latency.Variants[0], r.Latency.Variants[1]);
        yield return ($"latency batch {dense.Batch}", $"{Format.Number(dense.Timing.Latency.Median, "0.000")} ms → {Format.Number(pruned.Timing.Latency.Median, "0.000")} ms: " +
            Format.Speed(r.LatencyRatio) + $" (median of {r.Latency.Rounds} interleaved rounds)");
        yield return ("why", r.Structured
            ? "the filters are gone: every layer is a smaller dense layer, so dense kernels do less work"
            : "zeros are still multiplied: ONNX Runtime's dense kernels do the same work, so zeroed weights give no speedup");
    }

    public static string PruneHtml(PruneReport r)
    {
        var html = new StringBuilder("<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">");
        html.Append(Heading($"'{r.Original}' pruned into '{r.Pruned}'", 3)).Append(Paragraph(r.Method));
        html.Append(Facts(Summary(r).Select(f => (f.Key, (object?)f.Value))));
        html.Append(Heading("Per layer"));
        html.Append(Table(["layer", "weights", r.Structured ? "filters removed: target" : "zeros: target", "reached", "filters before → after"],
            LayerRows(r).Select(row => (IReadOnlyList<object?>)row)));
        html.Append(Heading("Latency against the original (interleaved)"));
        html.Append(ProfileViews.LatencyHtml(r.Latency));
        return html.Append("</div>").ToString();
    }

    /// <summary>JSON: the measurements; the pruned model appears as name, size and lineage, never as bytes.</summary>
    public static object PruneJson(PruneReport r) => new
    {
        r.Original, r.Pruned, r.Structured, r.Targets, r.Method, r.Before, r.After,
        Layers = r.Layers.Select(l => new { l.Name, l.Target, l.Weights, l.Zeros, l.Sparsity }), r.TotalSparsity, r.Channels, r.FineTuning,
        r.Latency, r.LatencyRatio, r.Sensitivity,
        PrunedModel = new { r.PrunedModel.Name, r.PrunedModel.SizeBytes, Lineage = r.PrunedModel.Lineage.ToString() },
    };
}
