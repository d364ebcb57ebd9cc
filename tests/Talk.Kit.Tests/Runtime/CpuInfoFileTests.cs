using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Runtime;

public class CpuInfoFileTests
{
    // Two packages × two cores × two threads: 8 logical CPUs, 4 physical cores.
    private static string Block(int cpu, int package, int core, string flags = "fpu sse4_2 avx avx2 fma avx512f avx512_vnni avx512_bf16") => $"""
        processor	: {cpu}
        model name	: Example Xeon
        cpu MHz		: 2100.000
        physical id	: {package}
        core id		: {core}
        flags		: {flags}

        """;

    [Fact]
    public void Parse_CountsDistinctPackageCorePairs_AsPhysicalCores()
    {
        string text = string.Concat(
            Block(0, 0, 0), Block(1, 0, 1), Block(2, 1, 0), Block(3, 1, 1),
            Block(4, 0, 0), Block(5, 0, 1), Block(6, 1, 0), Block(7, 1, 1));
        var info = CpuInfoFile.Parse(text);
        Assert.Equal("Example Xeon", info.ModelName);
        Assert.Equal(4, info.PhysicalCores);
        Assert.Equal(2100.0, info.ClockMHz);
        Assert.Contains("avx512_vnni", info.Flags);
        Assert.Contains("avx512_bf16", info.Flags);
    }

    [Fact]
    public void Parse_WithoutTopology_LeavesPhysicalCoresUnknown()
    {
        var info = CpuInfoFile.Parse("processor : 0\nflags : avx2\n");
        Assert.Null(info.PhysicalCores);
        Assert.Null(info.ModelName);
    }

    [Fact]
    public void ThisMachine_HasSaneFacts()
    {
        var m = MachineInfo.Current;
        Assert.InRange(m.PhysicalCores, 1, m.LogicalCores);
        Assert.True(m.MemoryBytes > 256L * 1024 * 1024);
        Assert.NotEmpty(m.CpuModel);
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.Contains("AVX2", m.SimdFeatures);
    }
}
