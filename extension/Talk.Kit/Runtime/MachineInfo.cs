using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Talk.Kit.Runtime;

/// <summary>What this machine is, as far as inference speed is concerned.</summary>
/// <param name="CpuModel">Marketing name of the CPU, e.g. "AMD EPYC".</param>
/// <param name="LogicalCores">Hardware threads visible to this process.</param>
/// <param name="PhysicalCores">Distinct (package, core) pairs; the default thread count of every session.</param>
/// <param name="ClockMHz">Reported clock (current, not guaranteed peak); null when unknown.</param>
/// <param name="SimdFeatures">Vector extensions relevant to ML kernels, in ascending order of capability.</param>
/// <param name="MemoryBytes">Total physical memory.</param>
/// <param name="Os">Operating system description.</param>
/// <param name="Architecture">Process architecture, e.g. X64.</param>
public sealed record MachineInfo(
    string CpuModel,
    int LogicalCores,
    int PhysicalCores,
    double? ClockMHz,
    IReadOnlyList<string> SimdFeatures,
    long MemoryBytes,
    string Os,
    string Architecture)
{
    private static readonly Lazy<MachineInfo> current = new(Read);

    /// <summary>This machine (read once per process).</summary>
    public static MachineInfo Current => current.Value;

    /// <summary>x86 family, model and stepping from /proc/cpuinfo, e.g. "family 26 model 2 stepping 1"; null elsewhere.</summary>
    public string? CpuSignature { get; init; }

    /// <summary>
    /// What a numeric result of this machine's native libraries depends on: CPU name, family/model/stepping, SIMD
    /// features and cores. Caches of measured machine behaviour (e.g. the conv numerics probe) are keyed by it.
    /// </summary>
    public string Fingerprint => $"{CpuModel}|{CpuSignature ?? "no signature"}|{string.Join(",", SimdFeatures)}|{PhysicalCores} cores|{Architecture}";

    /// <summary>True when the CPU has 8-bit dot-product instructions (VNNI), which make int8 GEMM ~2-4x fp32.</summary>
    public bool HasInt8DotProduct => SimdFeatures.Any(f => f.Contains("VNNI", StringComparison.Ordinal) || f.StartsWith("AMX", StringComparison.Ordinal));

    // /proc/cpuinfo flag → display name, in the order they are shown. Source: Linux arch/x86/include/asm/cpufeatures.h.
    private static readonly (string Flag, string Name)[] knownFlags =
    [
        ("sse4_2", "SSE4.2"), ("avx", "AVX"), ("f16c", "F16C"), ("fma", "FMA3"), ("avx2", "AVX2"),
        ("avx_vnni", "AVX-VNNI"), ("avx512f", "AVX-512F"), ("avx512bw", "AVX-512BW"), ("avx512vl", "AVX-512VL"),
        ("avx512_vnni", "AVX-512 VNNI"), ("avx512_bf16", "AVX-512 BF16"), ("avx512_fp16", "AVX-512 FP16"),
        ("amx_tile", "AMX-TILE"), ("amx_int8", "AMX-INT8"), ("amx_bf16", "AMX-BF16"),
    ];

    private static MachineInfo Read()
    {
        var cpuinfo = CpuInfoFile.TryRead();
        int logical = Environment.ProcessorCount;
        return new MachineInfo(
            CpuModel: cpuinfo?.ModelName ?? RuntimeInformation.ProcessArchitecture.ToString(),
            LogicalCores: logical,
            PhysicalCores: Math.Clamp(cpuinfo?.PhysicalCores ?? logical, 1, logical),
            ClockMHz: cpuinfo?.ClockMHz,
            SimdFeatures: cpuinfo is null ? FeaturesFromIntrinsics() : knownFlags.Where(f => cpuinfo.Flags.Contains(f.Flag)).Select(f => f.Name).ToList(),
            MemoryBytes: TotalMemoryBytes(),
            Os: RuntimeInformation.OSDescription,
            Architecture: RuntimeInformation.ProcessArchitecture.ToString()) { CpuSignature = cpuinfo?.Signature };
    }

    // Where /proc/cpuinfo is missing (not Linux), ask the JIT what it can emit.
    private static List<string> FeaturesFromIntrinsics()
    {
        var features = new List<string>();
        if (Sse42.IsSupported) features.Add("SSE4.2");
        if (Avx.IsSupported) features.Add("AVX");
        if (Fma.IsSupported) features.Add("FMA3");
        if (Avx2.IsSupported) features.Add("AVX2");
        if (AvxVnni.IsSupported) features.Add("AVX-VNNI");
        if (Avx512F.IsSupported) features.Add("AVX-512F");
        if (Avx512BW.IsSupported) features.Add("AVX-512BW");
        return features;
    }

    private static long TotalMemoryBytes()
    {
        const string meminfo = "/proc/meminfo";
        if (File.Exists(meminfo))
        {
            // "MemTotal:       24570872 kB"
            var line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is { Length: >= 2 } && long.TryParse(parts[1], out long kb))
                return kb * 1024;
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
