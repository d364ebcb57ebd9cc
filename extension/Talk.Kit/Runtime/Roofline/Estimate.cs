namespace Talk.Kit.Runtime.Roofline;

/// <summary>
/// A number that was derived, not measured (DESIGN rule 5: measured vs estimated is a type). It carries its basis,
/// so every view can print how it was obtained; <see cref="Value"/> is null when it cannot be derived, and the basis then says why.
/// </summary>
/// <param name="Value">The estimate, or null when unknowable here.</param>
/// <param name="Unit">E.g. "GFLOP/s".</param>
/// <param name="Basis">The derivation with its assumptions, e.g. "2 cores × 2000 MHz × 32 FLOP/cycle (AVX2+FMA3: …)".</param>
public sealed record Estimate(double? Value, string Unit, string Basis)
{
    public override string ToString() => Value is { } v ? $"{v:G4} {Unit} (estimated: {Basis})" : $"unknown {Unit} ({Basis})";
}

/// <summary>A number measured on this machine, with its method and the spread of its samples.</summary>
/// <param name="Value">Median-based value.</param>
/// <param name="Unit">E.g. "GB/s".</param>
/// <param name="RelativeSpread">(P90 − P10) / median of the latencies behind it: the noise to quote beside it.</param>
/// <param name="Method">How it was measured.</param>
public sealed record Measurement(double Value, string Unit, double RelativeSpread, string Method)
{
    public override string ToString() => $"{Value:G4} {Unit} (±{RelativeSpread:P0} P10–P90; {Method})";
}
