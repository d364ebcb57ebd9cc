namespace Talk.Kit.Runtime.Roofline;

/// <summary>
/// Where each node of a model sits under this machine's roofline: its intensity (x), what it achieved (y), the roof above it,
/// and how close it came. Built from a <see cref="ModelSummary"/> (work and bytes) and per-node times (e.g. ORT's profiler).
/// </summary>
/// <param name="ModelName">The model analysed.</param>
/// <param name="Batch">Batch size of the summary (and, the caller promises, of the times).</param>
/// <param name="Machine">The roofs.</param>
/// <param name="Points">Timed nodes, in graph order.</param>
/// <param name="Untimed">Nodes of the summary without a time: typically fused away or removed by ORT's graph optimizations.</param>
/// <param name="UnmatchedTimings">Timed names not in the summary: typically the fused nodes ORT made (e.g. a FusedConv).</param>
/// <param name="ByOpType">Timed nodes aggregated per op type, most time first.</param>
public sealed record RooflineAnalysis(string ModelName, int Batch, MachineRoofline Machine, IReadOnlyList<RooflinePoint> Points,
    IReadOnlyList<NodeTraffic> Untimed, IReadOnlyList<string> UnmatchedTimings, IReadOnlyList<OpTypeRoofline> ByOpType)
{
    /// <summary>How the numbers were obtained, for every view to print beside them.</summary>
    public string Method =>
        "Intensity = FLOPs / minimum bytes (weights + inputs read once, outputs written once); achieved = FLOPs / measured node time; " +
        "attainable = min(peak, intensity × bandwidth), peak = int8 for integer ops else fp32; memory-bound below the ridge point " +
        $"peak / bandwidth. Roofs: {Machine.Method}";

    /// <summary>Places every timed node of <paramref name="summary"/> under <paramref name="machine"/>'s roofs.</summary>
    /// <param name="summary">Work and tensor sizes per node.</param>
    /// <param name="nodeMicroseconds">Time per node name (µs), e.g. medians from the operator profiler.</param>
    /// <param name="machine">The roofs, e.g. <see cref="MachineRoofline.Get"/>.</param>
    public static RooflineAnalysis Of(ModelSummary summary, IReadOnlyDictionary<string, double> nodeMicroseconds, MachineRoofline machine)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(nodeMicroseconds);
        ArgumentNullException.ThrowIfNull(machine);
        var traffic = summary.Nodes.Select(NodeTraffic.Of).ToArray();
        var points = traffic.Where(t => nodeMicroseconds.ContainsKey(t.Node))
            .Select(t => Point(t, nodeMicroseconds[t.Node], machine)).ToArray();
        var untimed = traffic.Where(t => !nodeMicroseconds.ContainsKey(t.Node)).ToArray();
        var names = summary.Nodes.Select(n => n.Name).ToHashSet();
        var unmatched = nodeMicroseconds.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        var byOpType = points.GroupBy(p => p.OpType).Select(g => Aggregate(g.Key, g.ToArray(), machine))
            .OrderByDescending(a => a.Microseconds).ToArray();
        return new RooflineAnalysis(summary.ModelName, summary.Batch, machine, points, untimed, unmatched, byOpType);
    }

    private static RooflinePoint Point(NodeTraffic t, double microseconds, MachineRoofline machine)
    {
        double intensity = t.ArithmeticIntensity;
        double? achieved = Achieved(t.Flops, microseconds);
        double attainable = machine.AttainableGflops(intensity, t.OpType);
        return new RooflinePoint(t.Node, t.OpType, t.Flops, t.MinimumBytes, intensity, microseconds, achieved,
            machine.BoundAt(intensity, t.OpType), machine.PeakFor(t.OpType), attainable, Efficiency(achieved, attainable), t.IsCounted);
    }

    private static OpTypeRoofline Aggregate(string opType, RooflinePoint[] points, MachineRoofline machine)
    {
        long flops = points.Sum(p => p.Flops), bytes = points.Sum(p => p.MinimumBytes);
        double microseconds = points.Sum(p => p.Microseconds);
        double intensity = bytes > 0 ? (double)flops / bytes : 0;
        double? achieved = Achieved(flops, microseconds);
        double attainable = machine.AttainableGflops(intensity, opType);
        return new OpTypeRoofline(opType, points.Length, flops, bytes, microseconds, intensity, achieved,
            machine.BoundAt(intensity, opType), attainable, Efficiency(achieved, attainable));
    }

    /// <summary>FLOPs / (µs · 10⁻⁶ s) / 10⁹ = FLOPs / µs / 10³ GFLOP/s.</summary>
    private static double? Achieved(long flops, double microseconds) => microseconds > 0 ? flops / microseconds / 1e3 : null;

    private static double? Efficiency(double? achieved, double attainable) =>
        achieved is { } a && a > 0 && attainable > 0 ? a / attainable : null;
}
