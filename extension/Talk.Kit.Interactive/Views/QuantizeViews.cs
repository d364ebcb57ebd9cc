using System.Runtime.CompilerServices;
using System.Text;
using Plotly.NET;
using Talk.Kit.Compression.Quantization.Study;
using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>Text, HTML and JSON views of <see cref="QuantizeReport"/>.</summary>
internal static class QuantizeViews
{
    public static string ToText(QuantizeReport r)
    {
        var s = r.Study;
        var text = new StringBuilder($"#!quantize {r.Original} → {r.Quantized}: {s.Method}\n");
        foreach (var (key, value) in Summary(s))
            text.AppendLine($"  {key}: {value}");
        if (s.MixedPrecision is { } m)
            foreach (var step in m.Steps) text.AppendLine("  auto: " + step);
        foreach (var e in s.LayerErrors)
            text.AppendLine($"  SQNR {e.Node,-24} {e.SqnrDb,6:0.0} dB");
        return text.ToString();
    }

    /// <summary>The headline numbers, shared by the text and HTML views.</summary>
    private static IEnumerable<(string Key, string Value)> Summary(QuantizationStudy s)
    {
        yield return ("size", $"{Format.Bytes(s.Sizes.Fp32Bytes)} → {Format.Bytes(s.Sizes.QuantizedBytes)} (×{Format.Number(s.Sizes.Ratio, "0.0")} smaller)");
        var q = s.Quality;
        if (q.Fp32Accuracy is { } a && q.QuantizedAccuracy is { } b)
            yield return ("accuracy", $"{Format.Percent(a.Accuracy, 2)} → {Format.Percent(b.Accuracy, 2)} (drop {Format.Number(q.AccuracyDrop!.Value * 100, "0.00")} points, {b.Images} test images)");
        yield return ("agreement with fp32", $"top-1 {Format.Percent(q.Agreement.Top1Agreement, 2)}, cosine mean {Format.Number(q.Agreement.MeanCosine, "0.0000")} (min {Format.Number(q.Agreement.MinCosine, "0.0000")}), {q.Agreement.Samples} inputs");
        foreach (var l in s.Latency)
        {
            var (fp32, quantized) = (l.Variants[0], l.Variants[1]);
            double ratio = l.RatioMedian(quantized.Name, fp32.Name);
            yield return ($"latency batch {fp32.Batch}", $"fp32 {Format.Number(fp32.Timing.Latency.Median, "0.000")} ms, {quantized.Name} {Format.Number(quantized.Timing.Latency.Median, "0.000")} ms: " +
                Format.Speed(ratio) + $" (median of {l.Rounds} interleaved rounds, {fp32.Threads} threads)");
        }
        yield return ("ONNX Runtime runs", s.Kernels.ToString());
    }

    public static string ToHtml(QuantizeReport r)
    {
        var s = r.Study;
        var html = new StringBuilder("<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">");
        html.Append(Heading($"'{r.Original}' quantized into '{r.Quantized}'", 3)).Append(Paragraph(s.Method));
        html.Append(Facts(Summary(s).Select(f => (f.Key, (object?)f.Value))));

        if (s.MixedPrecision is { } m)
        {
            html.Append(Heading($"Automatic mixed precision: {m.Summary}"));
            html.Append("<ol>").Append(string.Concat(m.Steps.Select(step => $"<li>{Encode(step)}</li>"))).Append("</ol>");
            html.Append(Table(["layer", "op", $"{m.Sensitivity.Quality}, this layer alone int8", "cost alone", "latency with it fp32 (× all-int8)"],
                m.Sensitivity.Layers.Select(l => (IReadOnlyList<object?>)[l.Node, l.OpType, Format.Percent(l.QualityAlone, 2), Format.Number(l.DropAlone * 100, "0.00") + " pts",
                    Format.Number(l.LatencyKeepingFp32, "0.00")])));
        }

        html.Append(Heading("Latency against fp32 (interleaved)"));
        foreach (var l in s.Latency) html.Append(ProfileViews.LatencyHtml(l));

        if (s.LayerErrors.Count > 0)
        {
            html.Append(Heading("Error per layer: SQNR of each layer's output against fp32 (accumulated through the layers before it)"));
            html.Append(SqnrChart(s.LayerErrors));
        }
        if (s.Histogram is { } h)
        {
            html.Append(Heading($"Weights of {h.Node}{(h.Channel is int c ? $", channel {c} (widest range)" : "")} and the {h.Params.Type} grid they snap to"));
            html.Append(HistogramChart(h));
            html.Append(Paragraph($"{h.Params}; {h.Grid.Count} grid values from {Format.Number(h.Grid[0], "0.####")} to {Format.Number(h.Grid[^1], "0.####")}."));
        }

        html.Append(Heading("What ONNX Runtime actually runs (its optimized graph at ORT_ENABLE_ALL)"));
        html.Append(Table(["op type", "nodes", "kind"], s.Kernels.OpCounts.OrderByDescending(p => p.Value).Select(p => (IReadOnlyList<object?>)[p.Key, p.Value,
            s.Kernels.IntegerKernels.ContainsKey(p.Key) ? "integer" : s.Kernels.FloatComputeKernels.ContainsKey(p.Key) ? "float compute" : s.Kernels.Conversions.ContainsKey(p.Key) ? "conversion" : "other"])));
        if (s.Result is { Skipped.Count: > 0 } result)
        {
            html.Append(Heading("Left in floating point"));
            html.Append(Table(["node", "op", "why"], result.Skipped.Select(k => (IReadOnlyList<object?>)[k.Node, k.OpType, k.Reason])));
        }
        return html.Append("</div>").ToString();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string SqnrChart(IReadOnlyList<LayerError> errors)
    {
        var bar = Plotly.NET.CSharp.Chart.Bar<double, string, string>(values: errors.Select(e => double.IsFinite(e.SqnrDb) ? e.SqnrDb : 100).ToArray(),
            Keys: errors.Select(e => e.Node).ToArray(), Name: "SQNR (dB)");
        bar = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(bar, TitleText: "SQNR, dB (higher is better; ≈ 6 dB per bit)");
        bar = Chart.withTitle("Quantization error per layer", null).Invoke(bar);
        return PlotlyHtml.ToHtml(bar, heightPx: Math.Max(220, 60 + 28 * errors.Count));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string HistogramChart(WeightHistogram h)
    {
        var centers = h.Counts.Select((_, i) => (h.BinEdges[i] + h.BinEdges[i + 1]) / 2).ToArray();
        var bars = Plotly.NET.CSharp.Chart.Column<int, double, string>(values: h.Counts.ToArray(), Keys: centers, Name: "fp32 weights");
        int top = Math.Max(1, h.Counts.Max());
        var grid = Plotly.NET.CSharp.Chart.Point<double, int, string>(x: h.Grid.ToArray(), y: h.Grid.Select(_ => top).ToArray(), Name: $"{h.Params.Type} grid values");
        var chart = Plotly.NET.CSharp.Chart.Combine([bars, grid]);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "weight value");
        chart = Chart.withTitle("Weight histogram with the quantization grid", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 320);
    }

    /// <summary>JSON: the study's measurements; models appear as name, size and lineage, never as bytes.</summary>
    public static object Json(QuantizeReport r)
    {
        var s = r.Study;
        return new
        {
            r.Original, r.Quantized, s.Method, s.Request, s.Sizes, s.Quality,
            QuantizedModel = new { s.Quantized.Name, s.Quantized.SizeBytes, Lineage = s.Quantized.Lineage.ToString() },
            QuantizedNodes = s.Result?.Quantized, SkippedNodes = s.Result?.Skipped,
            s.Latency, LatencyRatio = s.Latency.Select(l => new { l.Variants[0].Batch, Ratio = s.LatencyRatio(l.Variants[0].Batch) }),
            s.LayerErrors, s.Histogram, s.Kernels, s.MixedPrecision,
        };
    }
}
