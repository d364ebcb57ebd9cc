namespace Talk.Kit.Runtime.Roofline;

/// <summary>One timed node under the roofline.</summary>
/// <param name="Node">Node name.</param>
/// <param name="OpType">Operator.</param>
/// <param name="Flops">FLOPs (2·MACs + elementwise ops); for integer ops these are integer operations.</param>
/// <param name="MinimumBytes">Weights + activation inputs read once + outputs written once (B).</param>
/// <param name="ArithmeticIntensity">Flops / MinimumBytes (FLOP/B).</param>
/// <param name="Microseconds">Measured time of the node (µs).</param>
/// <param name="AchievedGflops">Flops / time, in GFLOP/s (null when the time is 0).</param>
/// <param name="Bound">Memory-bound below the ridge point of its roof, else compute-bound.</param>
/// <param name="PeakGflops">The flat roof used: int8 peak for integer ops, fp32 otherwise.</param>
/// <param name="AttainableGflops">min(peak, intensity × bandwidth).</param>
/// <param name="Efficiency">Achieved / attainable (null when either is 0 or unknown, e.g. a Reshape).</param>
/// <param name="IsCounted">False when the kit has no cost rule for the op (its FLOPs are then unknown, shown as 0).</param>
public sealed record RooflinePoint(string Node, string OpType, long Flops, long MinimumBytes, double ArithmeticIntensity, double Microseconds,
    double? AchievedGflops, RooflineBound Bound, double PeakGflops, double AttainableGflops, double? Efficiency, bool IsCounted);

/// <summary>All timed nodes of one op type together: sums of work, bytes and time, then the same roofline quantities.</summary>
/// <param name="OpType">Operator.</param>
/// <param name="Nodes">Timed nodes of this type.</param>
/// <param name="Flops">Sum of their FLOPs.</param>
/// <param name="MinimumBytes">Sum of their minimum bytes.</param>
/// <param name="Microseconds">Sum of their times.</param>
/// <param name="ArithmeticIntensity">ΣFLOPs / Σbytes.</param>
/// <param name="AchievedGflops">ΣFLOPs / Σtime.</param>
/// <param name="Bound">Of the aggregate intensity.</param>
/// <param name="AttainableGflops">min(peak, aggregate intensity × bandwidth).</param>
/// <param name="Efficiency">Achieved / attainable.</param>
public sealed record OpTypeRoofline(string OpType, int Nodes, long Flops, long MinimumBytes, double Microseconds, double ArithmeticIntensity,
    double? AchievedGflops, RooflineBound Bound, double AttainableGflops, double? Efficiency);
