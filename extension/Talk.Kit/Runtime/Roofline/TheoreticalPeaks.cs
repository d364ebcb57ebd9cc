namespace Talk.Kit.Runtime.Roofline;

/// <summary>
/// Paper peaks of a CPU from what <see cref="MachineInfo"/> knows: peak = physical cores × clock × operations per cycle per core.
/// Every result is an <see cref="Estimate"/> whose basis spells out the derivation and its assumptions.
/// </summary>
public static class TheoreticalPeaks
{
    /// <summary>
    /// fp32 FLOP per cycle per core from the widest FMA the CPU has, as (value, reason), or null below SSE.
    /// FLOP/cycle = FMA units × fp32 lanes × 2 (an FMA is a multiply and an add).
    /// </summary>
    public static (int FlopsPerCycle, string Reason)? Fp32FlopsPerCycle(IReadOnlyList<string> simd)
    {
        ArgumentNullException.ThrowIfNull(simd);
        if (simd.Contains("AVX-512F"))
            return (64, "AVX-512: 2 FMA units × 16 lanes × 2 = 64; assumes two 512-bit FMA units (some Xeons have one, and Zen 4 " +
                        "splits 512-bit work over 256-bit units: both give 32)");
        if (simd.Contains("AVX2") && simd.Contains("FMA3"))
            return (32, "AVX2+FMA3: 2 FMA units × 8 lanes × 2 = 32; assumes two 256-bit FMA units (true of Intel Haswell and later, AMD Zen 2 and later; Zen 1 has 128-bit units: 16)");
        if (simd.Contains("AVX"))
            return (16, "AVX without FMA: one 8-lane add + one 8-lane multiply per cycle = 16");
        if (simd.Contains("SSE4.2"))
            return (8, "SSE: one 4-lane add + one 4-lane multiply per cycle = 8");
        return null;
    }

    /// <summary>
    /// int8 multiply-add operations per cycle per core, relative to the fp32 rate: 4× with VNNI (one vpdpbusd does 4 u8×s8 MACs
    /// per 32-bit lane where an FMA does 1), 2× with AVX2 alone (vpmaddubsw + vpmaddwd + vpaddd: 3 instructions for 4 MACs per lane,
    /// which on two vector ports is roughly twice the FMA rate — an assumption, as is the absence of int16 saturation stalls).
    /// </summary>
    public static (double Factor, string Reason)? Int8OverFp32(IReadOnlyList<string> simd)
    {
        ArgumentNullException.ThrowIfNull(simd);
        if (simd.Any(f => f.Contains("VNNI", StringComparison.Ordinal)))
            return (4, "VNNI: vpdpbusd does 4 u8×s8 MACs per 32-bit lane per instruction, 4× the fp32 FMA rate");
        if (simd.Contains("AVX2"))
            return (2, "AVX2 without VNNI: vpmaddubsw + vpmaddwd + vpaddd, assumed ~2× the fp32 FMA rate");
        return null;
    }

    /// <summary>fp32 peak in GFLOP/s = physical cores × clock (GHz) × FLOP/cycle/core.</summary>
    public static Estimate Fp32(MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        if (Fp32FlopsPerCycle(machine.SimdFeatures) is not { } perCycle)
            return new Estimate(null, "GFLOP/s", "no known SIMD width for this CPU");
        if (machine.ClockMHz is not { } mhz || mhz <= 0)
            return new Estimate(null, "GFLOP/s", "clock unknown (no 'cpu MHz' in /proc/cpuinfo)");
        double value = machine.PhysicalCores * mhz / 1000 * perCycle.FlopsPerCycle;
        return new Estimate(value, "GFLOP/s",
            $"{machine.PhysicalCores} cores × {mhz:0} MHz × {perCycle.FlopsPerCycle} FLOP/cycle ({perCycle.Reason}); " +
            "the clock is the one /proc/cpuinfo reports, not turbo");
    }

    /// <summary>int8 peak in GOP/s (a MAC counts as 2 ops, as for fp32) = fp32 peak × the factor of <see cref="Int8OverFp32"/>.</summary>
    public static Estimate Int8(MachineInfo machine)
    {
        var fp32 = Fp32(machine);
        if (fp32.Value is not { } f)
            return new Estimate(null, "GOP/s", fp32.Basis);
        if (Int8OverFp32(machine.SimdFeatures) is not { } factor)
            return new Estimate(null, "GOP/s", "no known int8 dot-product path for this CPU");
        return new Estimate(f * factor.Factor, "GOP/s", $"{factor.Factor}× the fp32 peak ({factor.Reason}); fp32 peak = {fp32.Basis}");
    }

    /// <summary>
    /// Memory bandwidth on paper needs the channel count and transfer rate of the DIMMs, which /proc does not show (and a VM
    /// shares them with its neighbours): left unknown rather than guessed.
    /// </summary>
    public static Estimate MemoryBandwidth(MachineInfo machine) =>
        new(null, "GB/s", "channels × transfer rate × 8 B needs the memory configuration, which /proc does not show (and a VM shares it)");
}
