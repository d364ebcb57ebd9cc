using System.Runtime.CompilerServices;
using System.Text;
using Plotly.NET;
using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Runtime.Profiling;
using Talk.Kit.Runtime.Roofline;
using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>Text and HTML views of <see cref="ProfileReport"/>: latency, operators, timeline, roofline.</summary>
internal static class ProfileViews
{
    public static string ToText(ProfileReport r)
    {
        var text = new StringBuilder("Latency per run (ms), variants interleaved\n");
        text.AppendLine($"  {"variant",-22} {"median",8} {"p10",8} {"p90",8} {"p99",8} {"per s",10} {"× first",8} {"peak mem",10}");
        foreach (var v in r.Latency.Variants)
            text.AppendLine($"  {v.Name,-22} {v.Timing.Latency.Median,8:0.000} {v.Timing.Latency.P10,8:0.000} {v.Timing.Latency.P90,8:0.000} {v.Timing.Latency.P99,8:0.000} " +
                            $"{v.ThroughputPerSecond,10:0} {v.Timing.RatioToBaseline.Median,8:0.00} {(v.PeakMemoryBytes is { } m ? Format.Bytes(m) : "–"),10}");
        var o = r.Operators;
        text.AppendLine($"Operators of {o.ModelName} at batch {o.Batch}, {o.Threads} thread(s), {o.Level}: run {o.RunMedianMicroseconds:0} µs, kernels {o.NodeSumMedianMicroseconds:0} µs");
        foreach (var t in o.OpTypes) text.AppendLine($"  {t.OpType,-24} {t.Nodes,3} nodes {t.MedianMicroseconds,10:0.0} µs {Format.Percent(t.Share),7}");
        text.AppendLine($"Roofline: fp32 {r.Roofline.Machine.Fp32Gflops.Value:0.0} GFLOP/s, int8 {r.Roofline.Machine.Int8Gops.Value:0.0} GOP/s, {r.Roofline.Machine.BandwidthGBps:0.0} GB/s (measured)");
        foreach (var p in r.Roofline.Points.Where(p => p.IsCounted && p.Flops > 0))
            text.AppendLine($"  {p.Node,-28} {p.OpType,-20} {p.ArithmeticIntensity,8:0.00} FLOP/B {p.AchievedGflops ?? 0,8:0.00} GFLOP/s {p.Bound}");
        return text.ToString();
    }

    public static string ToHtml(ProfileReport r)
    {
        var html = new StringBuilder("<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">");
        html.Append(Heading("Latency (end to end, variants interleaved)", 3));
        html.Append(LatencyHtml(r.Latency));

        var o = r.Operators;
        html.Append(Heading($"Where the time goes: {o.ModelName}, batch {o.Batch}, {o.Threads} thread(s), {o.Level}", 3));
        html.Append(Paragraph($"Median run {Format.Number(o.RunMedianMicroseconds, "0")} µs, of which kernels {Format.Number(o.NodeSumMedianMicroseconds, "0")} µs " +
                              $"(medians over {o.Runs} profiled runs; names are those of the graph ONNX Runtime executed, after its fusions)."));
        html.Append(OpTypeChart(o));
        html.Append(Table(["node (as executed)", "op", "provider", "median µs", "p10–p90 µs", "share"],
            o.Nodes.Take(12).Select(n => (IReadOnlyList<object?>)[n.Name, n.OpType, n.Provider, Format.Number(n.MedianMicroseconds, "0.0"),
                $"{Format.Number(n.P10Microseconds, "0.0")}–{Format.Number(n.P90Microseconds, "0.0")}", Format.Percent(n.Share)])));
        html.Append(Heading("Timeline of one run (the median one)")).Append(Timeline(o));

        var rf = r.Roofline;
        html.Append(Heading("Roofline of this machine", 3));
        html.Append(RooflineChart(rf));
        html.Append(Facts([
            ("fp32 peak", $"{Format.Number(rf.Machine.Fp32Gflops.Value, "0.0")} GFLOP/s measured; {Estimated(rf.Machine.EstimatedFp32Gflops)}"),
            ("int8 peak", $"{Format.Number(rf.Machine.Int8Gops.Value, "0.0")} GOP/s measured; {Estimated(rf.Machine.EstimatedInt8Gops)}"),
            ("memory bandwidth", $"{Format.Number(rf.Machine.BandwidthGBps, "0.0")} GB/s measured; {Estimated(rf.Machine.EstimatedBandwidth)}"),
            ("ridge point (fp32)", $"{Format.Number(rf.Machine.RidgePoint("Conv"), "0.0")} FLOP/byte: below it a node is memory-bound"),
        ]));
        html.Append(Table(["node", "op", "FLOPs", "min bytes", "FLOP/byte", "µs", "achieved GFLOP/s", "bound", "% of attainable"],
            rf.Points.Where(p => p.Flops > 0).Select(p => (IReadOnlyList<object?>)[p.Node, p.OpType, Format.Count(p.Flops), Format.Bytes(p.MinimumBytes),
                Format.Number(p.ArithmeticIntensity), Format.Number(p.Microseconds, "0.0"), p.AchievedGflops is { } a ? Format.Number(a) : "–",
                p.Bound.ToString(), p.Efficiency is { } e ? Format.Percent(e) : "–"])));
        html.Append(Paragraph("Method: " + rf.Method));
        return html.Append("</div>").ToString();
    }

    private static string Estimated(Estimate e) => e.Value is { } v ? $"{Format.Number(v, "0.0")} {e.Unit} estimated ({e.Basis})" : $"no estimate ({e.Basis})";

    /// <summary>Box plot, table and method of an interleaved model benchmark (shared with #!fuse).</summary>
    public static string LatencyHtml(ModelBenchmarkResult latency) => LatencyChart(latency) +
        Table(["variant", "batch", "threads", "median ms", "p10–p90 ms", "p99 ms", "min ms", "per second", "× first (median of rounds)", "peak memory"],
            latency.Variants.Select(v => (IReadOnlyList<object?>)[v.Name, v.Batch, v.Threads, Format.Number(v.Timing.Latency.Median, "0.000"),
                $"{Format.Number(v.Timing.Latency.P10, "0.000")}–{Format.Number(v.Timing.Latency.P90, "0.000")}", Format.Number(v.Timing.Latency.P99, "0.000"),
                Format.Number(v.Timing.Latency.Min, "0.000"), Format.Number(v.ThroughputPerSecond, "0"),
                $"{Format.Number(v.Timing.RatioToBaseline.Median)} ({Format.Number(v.Timing.RatioToBaseline.P10)}–{Format.Number(v.Timing.RatioToBaseline.P90)})",
                v.PeakMemoryBytes is { } m ? Format.Bytes(m) : "–"])) +
        Paragraph("Method: " + latency.Method);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string LatencyChart(ModelBenchmarkResult latency)
    {
        var boxes = latency.Variants.Select(v => Plotly.NET.CSharp.Chart.BoxPlot<string, double, string>(Y: v.Timing.Latency.Samples.ToArray(), Name: v.Name));
        var chart = Plotly.NET.CSharp.Chart.Combine(boxes);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "ms per run");
        chart = Chart.withTitle("Latency distribution per variant (every sample)", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 340);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string OpTypeChart(OperatorProfile o)
    {
        var types = o.OpTypes.Reverse().ToArray(); // largest on top
        var bar = Plotly.NET.CSharp.Chart.Bar<double, string, string>(values: types.Select(t => t.Share * 100).ToArray(), Keys: types.Select(t => t.OpType).ToArray(), Name: "share of kernel time");
        bar = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(bar, TitleText: "% of kernel time (median run)");
        bar = Chart.withTitle("Time per operator type", null).Invoke(bar);
        return PlotlyHtml.ToHtml(bar, heightPx: Math.Max(220, 60 + 28 * types.Length));
    }

    /// <summary>One bar per kernel, placed at its start within the run: a Gantt chart in plain HTML.</summary>
    private static string Timeline(OperatorProfile o)
    {
        double total = Math.Max(o.TimelineRunMicroseconds, o.Timeline.Select(e => e.StartMicroseconds + e.DurationMicroseconds).DefaultIfEmpty(1).Max());
        var rows = new StringBuilder("<div class=\"talkkit-timeline\" style=\"font-size:11px;max-width:900px\">");
        foreach (var e in o.Timeline)
        {
            double left = 100 * e.StartMicroseconds / total, width = Math.Max(0.3, 100 * e.DurationMicroseconds / total);
            rows.Append($"<div style=\"display:flex;align-items:center;height:16px\"><div style=\"width:220px;overflow:hidden;white-space:nowrap\">{Encode(e.Node)}</div>")
                .Append($"<div style=\"position:relative;flex:1;height:12px;background:#f4f4f4\"><div title=\"{Encode(e.OpType)}: {Format.Number(e.DurationMicroseconds, "0.0")} µs from {Format.Number(e.StartMicroseconds, "0.0")} µs\" ")
                .Append($"style=\"position:absolute;left:{Format.Number(left, "0.00")}%;width:{Format.Number(width, "0.00")}%;height:12px;background:#4c78a8\"></div></div></div>");
        }
        return rows.Append($"<div style=\"margin-left:220px\">0 µs … {Format.Number(total, "0")} µs</div></div>").ToString();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string RooflineChart(RooflineAnalysis r)
    {
        var m = r.Machine;
        var points = r.Points.Where(p => p.Flops > 0 && p.AchievedGflops > 0).ToList();
        double xMin = Math.Min(0.05, points.Select(p => p.ArithmeticIntensity).DefaultIfEmpty(1).Min() / 2);
        double xMax = Math.Max(1000, points.Select(p => p.ArithmeticIntensity).DefaultIfEmpty(1).Max() * 2);
        GenericChart Roof(string op, string name, string colour)
        {
            double peak = m.PeakFor(op), ridge = m.RidgePoint(op);
            return Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [xMin, ridge, xMax], y: [xMin * m.BandwidthGBps, peak, peak], Name: name, LineColor: Color.fromString(colour));
        }
        var charts = new List<GenericChart>
        {
            Roof("Conv", $"fp32 roof ({Format.Number(m.Fp32Gflops.Value, "0")} GFLOP/s, {Format.Number(m.BandwidthGBps, "0.0")} GB/s)", "#333333"),
            Roof("QLinearConv", $"int8 roof ({Format.Number(m.Int8Gops.Value, "0")} GOP/s)", "#999999"),
        };
        foreach (var bound in new[] { RooflineBound.MemoryBound, RooflineBound.ComputeBound })
        {
            var group = points.Where(p => p.Bound == bound).ToList();
            if (group.Count == 0) continue;
            var marker = new Plotly.NET.TraceObjects.Marker();
            // Marker area ∝ the node's time, so the nodes that matter stand out.
            double maxTime = points.Max(p => p.Microseconds);
            marker.SetProperty("size", group.Select(p => 6 + 30 * Math.Sqrt(p.Microseconds / maxTime)).ToArray());
            marker.SetProperty("color", bound == RooflineBound.MemoryBound ? "#e45756" : "#4c78a8");
            charts.Add(Plotly.NET.CSharp.Chart.Point<double, double, string>(x: group.Select(p => p.ArithmeticIntensity).ToArray(),
                y: group.Select(p => p.AchievedGflops!.Value).ToArray(), Name: bound == RooflineBound.MemoryBound ? "memory-bound nodes" : "compute-bound nodes",
                MultiText: group.Select(p => $"{p.Node} ({p.OpType}): {Format.Number(p.Microseconds, "0.0")} µs").ToArray(), Marker: marker));
        }
        var chart = Plotly.NET.CSharp.Chart.Combine(charts);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "arithmetic intensity (FLOP/byte)", AxisType: StyleParam.AxisType.Log);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "achieved GFLOP/s", AxisType: StyleParam.AxisType.Log);
        chart = Chart.withTitle($"{r.ModelName} at batch {r.Batch} under this machine's measured roofs (marker size ∝ time)", null).Invoke(chart);
        return PlotlyHtml.ToHtml(chart, heightPx: 460);
    }
}
