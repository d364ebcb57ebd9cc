using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Roofline;

namespace Talk.Kit.Tests.Runtime.Roofline;

public class TheoreticalPeaksTests
{
    private static MachineInfo Machine(int cores, double? mhz, params string[] simd) =>
        new("Test CPU", cores, cores, mhz, simd, 1L << 30, "Linux", "X64");

    [Fact]
    public void Avx2Fma_TwoCoresAt2GHz_Is128Gflops()
    {
        // 2 cores × 2.0 GHz × (2 FMA units × 8 lanes × 2) = 128 GFLOP/s; int8 without VNNI assumed 2× → 256 GOP/s.
        var machine = Machine(2, 2000, "SSE4.2", "AVX", "FMA3", "AVX2");
        Assert.Equal(128, TheoreticalPeaks.Fp32(machine).Value);
        Assert.Equal(256, TheoreticalPeaks.Int8(machine).Value);
        Assert.Contains("32 FLOP/cycle", TheoreticalPeaks.Fp32(machine).Basis);
        Assert.Contains("not turbo", TheoreticalPeaks.Fp32(machine).Basis);
    }

    [Fact]
    public void Avx512Vnni_UsesTwoFmaUnitsAndFourTimesForInt8_AndSaysItAssumesThem()
    {
        // 4 × 3.0 GHz × 64 = 768 GFLOP/s; VNNI 4× → 3,072 GOP/s.
        var machine = Machine(4, 3000, "AVX", "FMA3", "AVX2", "AVX-512F", "AVX-512 VNNI");
        var fp32 = TheoreticalPeaks.Fp32(machine);
        Assert.Equal(768, fp32.Value);
        Assert.Contains("assumes two 512-bit FMA units", fp32.Basis);
        Assert.Equal(3_072, TheoreticalPeaks.Int8(machine).Value);
    }

    [Fact]
    public void UnknownClockOrMemory_IsNullWithAReason()
    {
        Assert.Null(TheoreticalPeaks.Fp32(Machine(2, null, "AVX2", "FMA3")).Value);
        Assert.Contains("clock unknown", TheoreticalPeaks.Int8(Machine(2, null, "AVX2", "FMA3")).Basis);
        var memory = TheoreticalPeaks.MemoryBandwidth(Machine(2, 2000, "AVX2"));
        Assert.Null(memory.Value);
        Assert.Contains("/proc does not show", memory.Basis);
    }
}
