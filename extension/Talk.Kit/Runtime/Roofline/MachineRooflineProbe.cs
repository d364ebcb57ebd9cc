using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Runtime.Probes;

namespace Talk.Kit.Runtime.Roofline;

/// <summary>Measures this machine's roofs in ONNX Runtime (compute: <see cref="MatMulThroughput"/>; bandwidth: a streaming Add).</summary>
public static class MachineRooflineProbe
{
    /// <summary>
    /// Measures now (no cache; <see cref="MachineRoofline.Get"/> caches). Peak compute = the best over sizes of the median
    /// throughput, since a roof is the most a kernel reaches; every benchmark interleaves its variants and reports medians.
    /// </summary>
    public static MachineRoofline Measure(MachineRooflineOptions? options = null, IProgress<BenchmarkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new MachineRooflineOptions();
        options.Validate();
        var machine = MachineInfo.Current;
        int threads = options.Threads ?? machine.PhysicalCores;

        var matmul = MatMulThroughput.Measure(new MatMulThroughputOptions(options.MatMulSizes, options.Runs, threads, options.TimeBudget),
            progress, cancellationToken);
        var fp32 = matmul.Points.MaxBy(p => Roof(p.Fp32))!;
        var int8 = matmul.Points.MaxBy(p => Roof(p.Int8))!;
        var (ort, managed, bytes) = MemoryBandwidthProbe.Measure(options.BandwidthBufferBytes, threads, options.Runs, options.TimeBudget,
            progress, cancellationToken);

        string sizes = string.Join(", ", options.MatMulSizes);
        string mib = $"{options.BandwidthBufferBytes / (1024.0 * 1024):0.#} MiB";
        return new MachineRoofline(
            CacheKey: MachineRooflineCache.KeyOf(machine, Ort.Version),
            CpuModel: machine.CpuModel, PhysicalCores: machine.PhysicalCores, ClockMHz: machine.ClockMHz, SimdFeatures: machine.SimdFeatures,
            OnnxRuntimeVersion: Ort.Version, Threads: threads,
            Fp32Gflops: new Measurement(Roof(fp32.Fp32), "GFLOP/s", fp32.Fp32.Latency.RelativeSpread,
                $"ORT MatMul n×n fp32, 2·n³ FLOP per run, fastest-decile (p10) latency, best over n ∈ {{{sizes}}} (n = {fp32.Size})."),
            Int8Gops: new Measurement(Roof(int8.Int8), "GOP/s", int8.Int8.Latency.RelativeSpread,
                $"ORT MatMulInteger n×n u8×s8→s32, 2·n³ ops per run, fastest-decile (p10) latency, best over n ∈ {{{sizes}}} (n = {int8.Size}), interleaved with fp32."),
            OrtBandwidth: new Measurement(Roof(ort), "GB/s", ort.Latency.RelativeSpread,
                $"ORT Add Y = X + 1 on float32 X, Y of {mib} each, bytes = read X + write Y ({bytes:N0} B per run; write-allocate not counted), fastest-decile (p10) latency."),
            ManagedCopyBandwidth: new Measurement(Roof(managed), "GB/s", managed.Latency.RelativeSpread,
                $"Span.CopyTo X → Y ({mib} each) split over {threads} thread(s) with Parallel.For, bytes = read X + write Y, fastest-decile (p10) latency, interleaved with the ORT Add."),
            EstimatedFp32Gflops: TheoreticalPeaks.Fp32(machine),
            EstimatedInt8Gops: TheoreticalPeaks.Int8(machine),
            EstimatedBandwidth: TheoreticalPeaks.MemoryBandwidth(machine),
            MeasuredAtUtc: DateTime.UtcNow);
    }

    /// <summary>
    /// A roof is what the machine sustains when undisturbed, so it is taken at the fastest decile (p10 latency), not the median:
    /// on these 2-core VMs timings flip between two speed levels ~2× apart, and a median can fall on the slow one.
    /// </summary>
    private static double Roof(VariantResult v) => (v.OperationsPerRun ?? 0) / (v.Latency.P10 * 1e-3) / 1e9;
}
