using System.Runtime.CompilerServices;
using System.Text;
using Plotly.NET;
using Talk.Kit.Compression.Budget;
using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Pipeline;

using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>
/// Text, HTML and JSON views of <see cref="CompressReport"/>. Sizes are decimal (1 KB = 1000 B), as in the paper's
/// Table 1 (LeNet-300-100: 1070 KB = 266,610 × 4 B) and in app-store limits.
/// </summary>
internal static class CompressViews
{
    public static string ToText(CompressReport r)
    {
        var o = r.Outcome;
        var text = new StringBuilder($"#!compress {r.Original} → {r.Compressed}: {o.Method}\n");
        foreach (var (key, value) in Summary(r)) text.AppendLine($"  {key}: {value}");
        foreach (var s in o.Stages) text.AppendLine($"  {s.Stage,-40} {ByteSize.Format(s.Bytes),10}  {Ratio(o, s.Bytes),7}  {Quality(s.Quality)}");
        if (o.Report is { } report) text.AppendLine(report.ToString());
        if (o.Plan is { } plan)
        {
            text.AppendLine($"  budget planner: {plan.Explanation}");
            foreach (var c in plan.Tried)
                text.AppendLine($"    {c.Recipe,-52} {ByteSize.Format(c.FileBytes),10}  weight error {c.WeightError:0.0e0}  {(c.Fits ? "fits" : "too big")}" +
                    (c.Quality is double q ? $"  one shot {q:0.0000}" : "") + (ReferenceEquals(c, plan.Chosen) ? "  ← chosen" : ""));
        }
        return text.ToString();
    }

    /// <summary>The headline numbers, shared by the text and HTML views.</summary>
    private static IEnumerable<(string Key, string Value)> Summary(CompressReport r)
    {
        var o = r.Outcome;
        yield return ("size", $"{ByteSize.Format(o.Stages[0].Bytes)} dense fp32 → {ByteSize.Format(o.FinalBytes)} " +
            (o.File is null ? "(computed layout; no file without the huffman stage)" : "(the .tkdc file)") + $": {o.CompressionRatio:0.0}× smaller");
        if (o.Budget is long budget)
            yield return ("budget", $"{ByteSize.Format(budget)}: {(o.WithinBudget ? "fits" : $"over by {ByteSize.Format(o.FinalBytes - budget)}")}" +
                (o.Plan is { } p ? $" — {p.Explanation}" : ""));
        var (first, last) = (o.Stages[0].Quality, o.Stages[^1].Quality ?? o.Stages[0].Quality);
        if (first?.Accuracy is double a && last?.Accuracy is double b)
            yield return ("accuracy", $"{Format.Percent(a, 2)} → {Format.Percent(b, 2)} ({(b - a) * 100:+0.00;-0.00;0.00} points) on {o.QualityData}");
        else if (last is not null)
            yield return ("agreement with the original", $"mean cosine {last.MeanCosine:0.0000}, same top output {Format.Percent(last.Top1Agreement, 1)} on {o.QualityData}");
        yield return ("app stores", Standing(o.FinalBytes));
        if (r.SavedTo is { } path) yield return ("file", path);
        yield return ("time", $"{o.Seconds:0} s");
    }

    /// <summary>Where a size stands against the download limits.</summary>
    private static string Standing(long bytes)
    {
        var limits = AppSizeReferences.All.Where(l => l.IsLimit).ToList();
        var under = limits.Where(l => bytes <= l.Bytes).ToList();
        return under.Count == limits.Count
            ? $"{Format.Percent(bytes / (double)AppSizeReferences.TalkLimit.Bytes, 2)} of the talk's 100 MB cellular limit; under every App Store cellular limit since 2012"
            : under.Count == 0 ? $"over every App Store cellular limit (largest {ByteSize.Format(limits.Max(l => l.Bytes))}): Wi-Fi only"
            : $"over the {string.Join(", ", limits.Except(under).Select(l => ByteSize.Format(l.Bytes)))} limit(s), under {string.Join(", ", under.Select(l => ByteSize.Format(l.Bytes)))}";
    }

    private static string Ratio(CompressionOutcome o, long bytes) => bytes == 0 ? "" : $"{o.Stages[0].Bytes / (double)bytes:0.0}×";

    private static string Quality(StageQuality? q) => q is null ? "" :
        q.Accuracy is double a ? $"accuracy {Format.Percent(a, 2)}, cosine {q.MeanCosine:0.0000}" : $"cosine {q.MeanCosine:0.0000}, same top output {Format.Percent(q.Top1Agreement, 1)}";

    public static string ToHtml(CompressReport r)
    {
        var o = r.Outcome;
        var html = new StringBuilder("<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">");
        html.Append(Heading($"'{r.Original}' compressed into '{r.Compressed}'", 3)).Append(Paragraph(o.Method));
        html.Append(Facts(Summary(r).Select(f => (f.Key, (object?)f.Value))));
        if (o.Stages.Count > 1) html.Append(WaterfallChart(o));
        html.Append(Table(["stage", "size", "ratio", "accuracy", "cosine with original", "same top output"], o.Stages.Select(s => (IReadOnlyList<object?>)
            [s.Stage, ByteSize.Format(s.Bytes), Ratio(o, s.Bytes), s.Quality?.Accuracy is double a ? Format.Percent(a, 2) : "",
             s.Quality is { } q ? q.MeanCosine.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "",
             s.Quality is { } q2 ? Format.Percent(q2.Top1Agreement, 1) : ""])));
        if (o.Report is { } report)
        {
            html.Append(Heading("Per layer, as in the paper's Tables 2–3"));
            html.Append(Paragraph("P = pruning, Q = quantization (weight sharing), H = Huffman coding. Bits are per stored entry " +
                                  "(kept weights plus the relative index's filler zeros); the compression rate counts the layer's codebook, tables and header."));
            html.Append(LayerTable(report));
            html.Append(Paragraph($"Also in the file: graph and raw tensors {ByteSize.Format(report.GraphBytes)} (uncompressed initializers " +
                                  $"{ByteSize.Format(report.RawInitializerBytes)}), header {report.ContainerBytes} B, CRC-32 {report.ChecksumBytes} B."));
        }
        if (o.Plan is { Tried.Count: > 0 } plan)
        {
            html.Append(Heading("What the budget planner tried"));
            html.Append(Paragraph(plan.Explanation + " Each recipe was compressed for real, one shot; the weight error is ‖W − Ŵ‖²/‖W‖² averaged over layers" +
                                  (plan.QualityMeasure is { } m ? $"; one shot = {m} of the recipe's model before any fine-tuning." : ".")));
            html.Append(Table(["recipe", "file", "weight error", "one shot", ""], plan.Tried.Select(c => (IReadOnlyList<object?>)
                [c.Recipe.ToString(), ByteSize.Format(c.FileBytes), c.WeightError.ToString("0.0e0", System.Globalization.CultureInfo.InvariantCulture),
                 c.Quality is double q ? q.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "",
                 ReferenceEquals(c, plan.Chosen) ? "chosen" : c.Fits ? "fits" : "too big"])));
        }
        html.Append(Heading("Against app-store download limits and typical apps"));
        html.Append(AppSizeChart(r));
        html.Append(Table(["", "size", "source"], o.References.Select(x => (IReadOnlyList<object?>)[x.Label, ByteSize.Format(x.Bytes), x.Source])));
        return html.Append("</div>").ToString();
    }

    private static string LayerTable(CompressionReport report) =>
        Table(["layer", "weights", "weights kept (P)", "weight bits (P+Q)", "weight bits (P+Q+H)", "index bits (P+Q)", "index bits (P+Q+H)", "bytes in file", "compress rate"],
            report.Layers.Select(l => (IReadOnlyList<object?>)
                [l.Name, Format.Count(l.Weights), Format.Percent(l.Kept, 1), l.WeightBits, Format.Number(l.CodedWeightBits, "0.0"), l.IndexBits,
                 Format.Number(l.CodedIndexBits, "0.0"), l.TotalBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), $"{l.CompressionRatio:0.0}×"]));

    /// <summary>Han et al. 2016 Fig. 1 as a waterfall: the dense size, what each stage takes off, the file.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string WaterfallChart(CompressionOutcome o)
    {
        var stages = o.Stages;
        var x = stages.Select(s => s.Stage).Append("result").ToArray();
        var y = new List<double> { stages[0].Bytes / 1e3 };
        for (int i = 1; i < stages.Count; i++) y.Add((stages[i].Bytes - stages[i - 1].Bytes) / 1e3);
        y.Add(stages[^1].Bytes / 1e3);
        var measures = new List<StyleParam.WaterfallMeasure> { StyleParam.WaterfallMeasure.Absolute };
        measures.AddRange(Enumerable.Repeat(StyleParam.WaterfallMeasure.Relative, stages.Count - 1));
        measures.Add(StyleParam.WaterfallMeasure.Total);
        var labels = stages.Select((s, i) => i == 0 ? ByteSize.Format(s.Bytes) : $"−{ByteSize.Format(stages[i - 1].Bytes - s.Bytes)}")
            .Append($"{ByteSize.Format(stages[^1].Bytes)} ({Ratio(o, stages[^1].Bytes)})").ToArray();
        var chart = Plotly.NET.CSharp.Chart.Waterfall<string, double, string>(x, y, Name: "size", MultiText: labels, Measure: measures);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "kB (decimal)");
        chart = Chart.withTitle("Size through the stages of Deep Compression", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 380);
    }

    /// <summary>The model before and after, beside download limits and typical app sizes, on a log scale.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string AppSizeChart(CompressReport r)
    {
        var o = r.Outcome;
        GenericChart Bars(IEnumerable<(string Label, long Bytes)> items, string name, Color color)
        {
            var list = items.ToList();
            return Plotly.NET.CSharp.Chart.Bar<double, string, string>(values: list.Select(i => i.Bytes / 1e6).ToArray(), Keys: list.Select(i => i.Label).ToArray(),
                Name: name, MarkerColor: color, MultiText: list.Select(i => ByteSize.Format(i.Bytes)).ToArray());
        }
        var chart = Plotly.NET.CSharp.Chart.Combine(
        [
            Bars(o.References.Where(x => !x.IsLimit).Select(x => (x.Label, x.Bytes)), "typical apps", Color.fromString("#9ca3af")),
            Bars(o.References.Where(x => x.IsLimit).Select(x => (x.Label, x.Bytes)), "App Store cellular limits", Color.fromString("#dc2626")),
            Bars([($"{r.Original} (dense ONNX)", o.Original.SizeBytes), ($"{r.Compressed} ({(o.File is null ? "layout" : ".tkdc file")})", o.FinalBytes)], "this model", Color.fromString("#2563eb")),
        ]);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "MB (decimal), log scale", AxisType: StyleParam.AxisType.Log);
        chart = Chart.withTitle("Model size against app-store download limits", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 420);
    }

    /// <summary>JSON: the measurements; models appear as name, size and lineage, the file as its length, never as bytes.</summary>
    public static object Json(CompressReport r)
    {
        var o = r.Outcome;
        return new
        {
            r.Original, r.Compressed, r.SavedTo, Recipe = new { Stages = CompressionPipeline.Describe(o.Recipe.Stages), o.Recipe.Sparsity, o.Recipe.ConvBits, o.Recipe.FcBits },
            o.Method, o.Stages, o.FinalBytes, o.CompressionRatio, o.Budget, o.WithinBudget, o.Report, o.Plan, o.QualityData, o.Seconds, o.References,
            Result = new { o.Result.Name, o.Result.SizeBytes, Lineage = o.Result.Lineage.ToString() },
        };
    }
}
