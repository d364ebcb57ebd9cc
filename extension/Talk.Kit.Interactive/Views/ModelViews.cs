using System.Runtime.CompilerServices;
using System.Text;
using Plotly.NET;
using Talk.Kit.Runtime;
using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>Text and HTML views of the <c>#!model</c> reports.</summary>
internal static class ModelViews
{
    // ---- zoo ----
    public static string ZooText(ZooReport r) => new StringBuilder($"Model zoo (data: {r.Data})\n")
        .AppendJoin("", r.Entries.Select(e => $"  {e.Name,-14} {e.Kind,-13} {(e.Ready ? "ready" : "trains on first load"),-21} {e.Recipe}\n    {e.Description}\n"))
        .ToString();

    public static string ZooHtml(ZooReport r) => Wrap(Heading("Model zoo", 3) + Paragraph($"Training data: {r.Data}") +
        Table(["name", "kind", "ready?", "recipe", "what it is"],
            r.Entries.Select(e => (IReadOnlyList<object?>)[new Raw(Code(e.Name)), e.Kind, e.Ready ? "ready" : "trains on first load", e.Recipe, e.Description])));

    // ---- model card (load) ----
    public static string LoadText(LoadReport r) => CardText(r.Card) + $"  obtained: {r.How}\n" + TrainingText(r.Training);

    public static string LoadHtml(LoadReport r) => Wrap(CardHtml(r.Card) + Paragraph($"Obtained: {r.How}.") +
        (r.Training is null ? "" : TrainingTable(r.Training)));

    private static string CardText(ModelCard c) =>
        $"Model '{c.Name}': {c.Nodes} nodes, {c.Initializers} initializers ({Format.Bytes(c.InitializerBytes)}), file {Format.Bytes(c.SizeBytes)}, opset {c.Opset}\n" +
        $"  inputs: {string.Join("; ", c.Inputs)}\n  outputs: {string.Join("; ", c.Outputs)}\n" +
        $"  ops: {string.Join(", ", c.OpCounts.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))}\n  lineage: {c.Lineage}\n";

    private static string CardHtml(ModelCard c) => Heading($"Model '{c.Name}'", 3) + Facts([
        ("inputs", string.Join("; ", c.Inputs)),
        ("outputs", string.Join("; ", c.Outputs)),
        ("nodes", $"{c.Nodes}: " + string.Join(", ", c.OpCounts.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"))),
        ("weights", $"{c.Initializers} initializers, {Format.Bytes(c.InitializerBytes)}"),
        ("file size", $"{Format.Bytes(c.SizeBytes)} (opset {c.Opset})"),
        ("lineage", c.Lineage),
        ("SHA-256", c.Fingerprint[..16] + "…"),
    ]);

    // ---- show ----
    public static string ShowText(ShowReport r) => CardText(r.Card) + r.Summary;

    public static string ShowHtml(ShowReport r)
    {
        var s = r.Summary;
        var t = s.Totals;
        var html = new StringBuilder(CardHtml(r.Card));
        html.Append(Heading($"Per layer, batch {s.Batch}")).Append(Facts([
            ("parameters", $"{t.Parameters:N0} ({Format.Bytes(t.WeightBytes)})"),
            ("MACs", $"{t.Macs:N0} ({Format.Count(t.Macs)})"),
            ("FLOPs", $"{t.Flops:N0} ({Format.Count(t.Flops)})"),
            ("activations", $"peak {Format.Bytes(t.PeakActivationBytes)} alive at once; {Format.Bytes(t.TotalActivationBytes)} written in all"),
            ("not counted", t.UncountedOps.Count == 0 ? "nothing" : string.Join(", ", t.UncountedOps)),
        ]));
        html.Append(Table(["#", "node", "op", "inputs", "outputs", "params", "MACs", "FLOPs", "weights", "activations"],
            s.Nodes.Select(n => (IReadOnlyList<object?>)[n.Index, n.Name, n.OpType,
                string.Join(" ", n.InputShapes.Select(x => x?.ToString() ?? "–")), string.Join(" ", n.OutputShapes.Select(x => x?.ToString() ?? "–")),
                n.Parameters.ToString("N0"), Format.Count(n.Macs), Format.Count(n.Flops), Format.Bytes(n.WeightBytes), Format.Bytes(n.ActivationBytes)])));
        html.Append(Paragraph("Method: " + s.Method));
        html.Append(Heading("Graph")).Append(ModelGraph.ToHtml(s));
        return Wrap(html.ToString());
    }

    // ---- train ----
    public static string TrainText(TrainReport r) => CardText(r.Card) + TrainingText(r.Training) +
        (r.Export is null ? "" : $"  export check (TorchSharp vs ONNX Runtime, real images): {r.Export}\n") +
        $"  test accuracy (ONNX Runtime): {Format.Percent(r.Test.Accuracy, 2)} on {r.Test.Images:N0} images\n";

    public static string TrainHtml(TrainReport r) => Wrap(
        Heading($"Trained '{r.Card.Name}': test accuracy {Format.Percent(r.Test.Accuracy, 2)}", 3) +
        Paragraph(r.FromCache ? $"Found in the cache ({r.CacheFolder}): these weights were trained earlier with the same recipe and data." : $"Trained now and cached in {r.CacheFolder}.") +
        TrainingTable(r.Training) + TrainingChart(r.Training) +
        (r.Export is null ? "" : Paragraph($"Export check, TorchSharp vs ONNX Runtime on real test images: {r.Export}")) +
        AccuracyHtml(r.Test));

    private static string TrainingText(Training.TrainingRecord? t) => t is null ? "" :
        $"  training: {t.Options.Epochs} epochs on {t.DataDescription}, {t.Seconds:0.0} s\n" +
        string.Concat(t.Epochs.Select(e => $"    epoch {e.Epoch}: loss {e.Loss:0.0000}, train accuracy {Format.Percent(e.Accuracy)}, {e.Seconds:0.0} s, {e.ImagesPerSecond:0} images/s\n"));

    private static string TrainingTable(Training.TrainingRecord t) =>
        Paragraph($"Training: {t.Options.Epochs} epochs, batch {t.Options.BatchSize}, Adam lr {t.Options.LearningRate}, seed {t.Options.Seed}, on {t.DataDescription}; {t.Seconds:0.0} s in all.") +
        Table(["epoch", "loss", "train accuracy", "seconds", "images/s"],
            t.Epochs.Select(e => (IReadOnlyList<object?>)[e.Epoch, Format.Number(e.Loss, "0.0000"), Format.Percent(e.Accuracy), Format.Number(e.Seconds, "0.0"), Format.Number(e.ImagesPerSecond, "0")]));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string TrainingChart(Training.TrainingRecord t)
    {
        var epochs = t.Epochs.Select(e => e.Epoch).ToArray();
        var loss = Plotly.NET.CSharp.Chart.Line<int, double, string>(x: epochs, y: t.Epochs.Select(e => e.Loss).ToArray(), Name: "loss", ShowMarkers: true);
        var acc = Plotly.NET.CSharp.Chart.Line<int, double, string>(x: epochs, y: t.Epochs.Select(e => e.Accuracy).ToArray(), Name: "train accuracy", ShowMarkers: true);
        var chart = Plotly.NET.CSharp.Chart.Grid([loss, acc], 1, 2);
        chart = Chart.withTitle("Training curve (per epoch)", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 320);
    }

    // ---- eval ----
    public static string EvalText(EvalReport r) => r.Accuracy is { } a
        ? $"'{r.Model}': accuracy {Format.Percent(a.Accuracy, 2)} ({a.Correct:N0}/{a.Images:N0}) on {a.Data}\n" +
          string.Concat(a.PerClass.Select(c => $"  {c.Name,-12} {Format.Percent(c.Accuracy)}\n"))
        : $"'{r.Model}' vs '{r.Agreement!.ReferenceName}' on {r.Agreement.Samples} images: top-1 agreement {Format.Percent(r.Agreement.Top1Agreement)}, " +
          $"cosine mean {r.Agreement.MeanCosine:0.0000} (min {r.Agreement.MinCosine:0.0000}), max |Δ| {r.Agreement.MaxAbsDifference:0.###e+0}\n";

    public static string EvalHtml(EvalReport r) => Wrap(r.Accuracy is { } a
        ? Heading($"'{r.Model}': accuracy {Format.Percent(a.Accuracy, 2)}", 3) + AccuracyHtml(a)
        : Heading($"'{r.Model}' against '{r.Agreement!.ReferenceName}'", 3) + Facts([
            ("images", r.Agreement.Samples),
            ("top-1 agreement", Format.Percent(r.Agreement.Top1Agreement)),
            ("cosine similarity", $"mean {r.Agreement.MeanCosine:0.0000}, worst {r.Agreement.MinCosine:0.0000}"),
            ("max |Δ| of any output", r.Agreement.MaxAbsDifference.ToString("0.###e+0")),
        ]));

    private static string AccuracyHtml(ClassifierEvaluation a) =>
        Paragraph($"Measured by ONNX Runtime on {a.Data}: {a.Correct:N0} of {a.Images:N0} correct, in {a.Seconds:0.0} s.") + ConfusionChart(a);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ConfusionChart(ClassifierEvaluation a)
    {
        var names = a.PerClass.Select(c => c.Name).ToArray();
        // Rows: true class, columns: predicted class; each row as a share of that class's images.
        var z = a.Confusion.Select((row, i) => row.Select(v => a.PerClass[i].Images == 0 ? 0 : (double)v / a.PerClass[i].Images).ToArray()).ToArray();
        var heat = Plotly.NET.CSharp.Chart.Heatmap<double, string, string, string>(zData: z, X: names, Y: names, ReverseYAxis: true);
        heat = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(heat, TitleText: "predicted");
        heat = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(heat, TitleText: "true class");
        heat = Chart.withTitle("Confusion matrix (share of each true class)", null).Invoke(heat);
        return PlotlyHtml.ToHtml(heat, heightPx: 460);
    }

    private static string Wrap(string body) => $"<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">{body}</div>";
}
