using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Plotly.NET;
using Talk.Kit.Runtime.Numerics;
using Talk.Kit.Runtime.Probes;
using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>Text and HTML views of <see cref="KitReport"/>.</summary>
internal static class KitReportView
{
    private static readonly CultureInfo inv = CultureInfo.InvariantCulture;

    public static string ToText(KitReport r)
    {
        var e = r.Engine;
        var m = e.Machine;
        var text = new StringBuilder();
        text.AppendLine($"Talk.Kit {e.KitVersion}").AppendLine(KitInfo.About).AppendLine();
        text.AppendLine("Versions");
        foreach (var (k, v) in Versions(r)) text.AppendLine($"  {k,-14} {v}");
        text.AppendLine("Machine");
        foreach (var (k, v) in MachineFacts(m)) text.AppendLine($"  {k,-14} {v}");
        text.AppendLine($"ONNX Runtime execution providers: {string.Join(", ", e.ExecutionProviders)}");
        text.AppendLine($"Datasets: {DatasetLine(e)}");
        text.AppendLine($"TorchSharp native code: {TorchLine(r)}");
        text.AppendLine($"libtorch convolutions: {ConvLine(r)}").AppendLine();
        text.AppendLine("Magic commands");
        foreach (var c in r.Commands) text.AppendLine($"  {c.Name,-10} {c.Description}   e.g. {c.Example}");
        text.AppendLine().AppendLine("Measured now: matrix multiply, fp32 vs int8 (GOP/s, higher is better)");
        text.AppendLine($"  {"n",6} {"fp32",10} {"int8",10} {"int8 speedup",14} {"spread",8}");
        foreach (var p in r.Throughput.Points)
            text.AppendLine(inv, $"  {p.Size,6} {p.Fp32GigaOpsPerSecond,10:0.0} {p.Int8GigaOpsPerSecond,10:0.0} {p.Int8Speedup,13:0.00}× {p.Int8.RatioToBaseline.RelativeSpread,7:P0}");
        text.AppendLine($"  Method: {r.Throughput.Method}");
        return text.ToString();
    }

    public static string ToHtml(KitReport r)
    {
        var e = r.Engine;
        var html = new StringBuilder("<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">");
        html.Append(Heading($"Talk.Kit {e.KitVersion}", 2)).Append(Paragraph(KitInfo.About));
        html.Append(Heading("Versions")).Append(Facts(Versions(r)));
        html.Append(Heading("This machine")).Append(Facts(MachineFacts(e.Machine)));
        html.Append(Facts([
            ("ONNX Runtime execution providers", string.Join(", ", e.ExecutionProviders)),
            ("Datasets", DatasetLine(e)),
            ("TorchSharp native code", TorchLine(r)),
            ("libtorch convolutions", ConvLine(r)),
        ]));
        if (r.Torch.Convolutions?.Report is { } probe && !probe.DefaultIsCorrect)
            html.Append(ConvFailures(probe));
        html.Append(Heading("Magic commands"));
        html.Append(Table(["command", "what it does", "example"],
            r.Commands.Select(c => (IReadOnlyList<object?>)[new Raw(Code(c.Name)), c.Description, new Raw(Code(c.Example))])));
        html.Append(Heading("Measured now: matrix multiply, fp32 vs int8"));
        html.Append(ThroughputChart(r.Throughput));
        html.Append(Table(["n (n×n·n×n)", "fp32 GOP/s", "int8 GOP/s", "int8 speedup (median of rounds)", "speedup spread p10–p90", "rounds"],
            r.Throughput.Points.Select(p => (IReadOnlyList<object?>)[
                p.Size, p.Fp32GigaOpsPerSecond.ToString("0.0", inv), p.Int8GigaOpsPerSecond.ToString("0.0", inv),
                p.Int8Speedup.ToString("0.00", inv) + "×",
                $"{(1 / p.Int8.RatioToBaseline.P90).ToString("0.00", inv)}–{(1 / p.Int8.RatioToBaseline.P10).ToString("0.00", inv)}×",
                p.Int8.Latency.Samples.Count])));
        html.Append(Paragraph("Method: " + r.Throughput.Method));
        return html.Append("</div>").ToString();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ThroughputChart(MatMulThroughputReport t)
    {
        var sizes = t.Points.Select(p => $"{p.Size}×{p.Size}").ToArray();
        var fp32 = Plotly.NET.CSharp.Chart.Column<double, string, string>(values: t.Points.Select(p => p.Fp32GigaOpsPerSecond).ToArray(), Keys: sizes, Name: "fp32 (MatMul)");
        var int8 = Plotly.NET.CSharp.Chart.Column<double, string, string>(values: t.Points.Select(p => p.Int8GigaOpsPerSecond).ToArray(), Keys: sizes, Name: "int8 (MatMulInteger)");
        var chart = Plotly.NET.CSharp.Chart.Combine([fp32, int8]);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "matrix size n");
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "GOP/s (median)");
        chart = Chart.withTitle($"Matrix multiply throughput on this CPU, {t.Threads} thread(s), ONNX Runtime {t.OnnxRuntimeVersion}", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 380);
    }

    private static IEnumerable<(string, object?)> Versions(KitReport r) =>
    [
        ("Talk.Kit", $"{r.Engine.KitVersion} (build {r.Engine.KitBuild})"),
        (".NET", r.Engine.DotNetVersion),
        ("ONNX Runtime", r.Engine.OnnxRuntimeVersion),
        ("TorchSharp", $"{r.Torch.TorchSharpVersion} (libtorch {r.Torch.LibTorchVersion})"),
        ("plotly.js", $"{ScriptLibraries.Plotly.Version} (embedded, works offline)"),
    ];

    private static IEnumerable<(string, object?)> MachineFacts(Runtime.MachineInfo m) =>
    [
        ("CPU", m.CpuModel + (m.ClockMHz is { } mhz ? $" @ {mhz.ToString("0", inv)} MHz (reported)" : "")),
        ("Cores", $"{m.PhysicalCores} physical, {m.LogicalCores} logical (sessions use {m.PhysicalCores} threads)"),
        ("SIMD", string.Join(", ", m.SimdFeatures) + (m.HasInt8DotProduct ? "" : " (no VNNI: int8 dot products use AVX2 multiply-adds)")),
        ("Memory", $"{m.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB"),
        ("OS", $"{m.Os} ({m.Architecture})"),
    ];

    private static string DatasetLine(KitInfo e) => e.FashionMnist.Chosen is { } c
        ? $"Fashion-MNIST {(c.IsFull ? "FULL" : "SUBSET")} ({c.TrainCount:N0} train, {c.TestCount:N0} test) in {c.Directory} ({c.Source}); {e.FashionMnist.Reason}"
        : $"Fashion-MNIST not found (looked in {string.Join("; ", e.FashionMnist.Candidates.Select(x => x.Directory))}); install the Debian package dataset-fashion-mnist or set TALKKIT_DATA";

    private static string ConvLine(KitReport r) => r.Torch.Convolutions?.Summary ?? "not checked: TorchSharp's native code did not run";

    /// <summary>Where the default route was wrong, case by case, beside the route the kit took.</summary>
    private static string ConvFailures(ConvNumericsReport probe)
    {
        var routes = probe.Routes;
        var cases = probe.Checks.Where(c => c.Route == ConvRoute.Default).Select(c => c.Case).ToList();
        string Cell(ConvCase c, ConvRoute route) =>
            probe.Checks.First(k => k.Case == c && k.Route == route) is var k && k.IsCorrect(probe.Tolerance)
                ? $"ok ({ConvCheck.Format(k.Worst)})" : "WRONG: " + k.Wrong(probe.Tolerance);
        return Table(["conv (forward, weight and input gradients vs float64)", .. routes.Select(ConvRoutes.Describe)],
            cases.Select(c => (IReadOnlyList<object?>)[c.Label, .. routes.Select(route => (object?)Cell(c, route))]));
    }

    private static string TorchLine(KitReport r) => r.Torch.Works
        ? $"works: {r.Torch.SmokeTest}; libstdc++ fix: {r.Torch.NativeFix.Summary}"
        : $"FAILED: {r.Torch.Error}; libstdc++ fix: {r.Torch.NativeFix.Summary}";
}
