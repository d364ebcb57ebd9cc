using System.Text.Json.Serialization;

namespace Talk.Kit.Runtime.Roofline;

/// <summary>
/// The two roofs of this machine, measured in ONNX Runtime, beside the paper peaks: attainable GFLOP/s at arithmetic intensity I
/// (FLOP/B) is min(peak, I × bandwidth), and the ridge point peak / bandwidth (FLOP/B) separates memory-bound from compute-bound.
/// Source: Williams, Waterman, Patterson, "Roofline: an insightful visual performance model", CACM 52(4), 2009.
/// </summary>
/// <param name="CacheKey">Hash of what the numbers depend on (see <see cref="MachineRooflineCache.KeyOf"/>).</param>
/// <param name="CpuModel">As <see cref="MachineInfo.CpuModel"/>.</param>
/// <param name="PhysicalCores">As <see cref="MachineInfo.PhysicalCores"/>.</param>
/// <param name="ClockMHz">Reported clock.</param>
/// <param name="SimdFeatures">As <see cref="MachineInfo.SimdFeatures"/>.</param>
/// <param name="OnnxRuntimeVersion">The ORT whose kernels were measured.</param>
/// <param name="Threads">Intra-op threads of every measurement.</param>
/// <param name="Fp32Gflops">Measured fp32 peak: best median of MatMul over the sizes tried.</param>
/// <param name="Int8Gops">Measured int8 peak: best median of MatMulInteger (u8×s8→s32) over the sizes tried.</param>
/// <param name="OrtBandwidth">Measured GB/s of an ORT <c>Y = X + 1</c> on tensors far larger than the last-level cache: the roof used.</param>
/// <param name="ManagedCopyBandwidth">Measured GB/s of a multi-threaded <c>Span.CopyTo</c> of the same size, for comparison.</param>
/// <param name="EstimatedFp32Gflops">Paper fp32 peak with its derivation.</param>
/// <param name="EstimatedInt8Gops">Paper int8 peak with its derivation.</param>
/// <param name="EstimatedBandwidth">Paper memory bandwidth (unknown on this kind of machine; the basis says why).</param>
/// <param name="MeasuredAtUtc">When it was measured.</param>
public sealed record MachineRoofline(
    string CacheKey,
    string CpuModel,
    int PhysicalCores,
    double? ClockMHz,
    IReadOnlyList<string> SimdFeatures,
    string OnnxRuntimeVersion,
    int Threads,
    Measurement Fp32Gflops,
    Measurement Int8Gops,
    Measurement OrtBandwidth,
    Measurement ManagedCopyBandwidth,
    Estimate EstimatedFp32Gflops,
    Estimate EstimatedInt8Gops,
    Estimate EstimatedBandwidth,
    DateTime MeasuredAtUtc)
{
    /// <summary>
    /// The bandwidth roof in GB/s: the ORT measurement, because the nodes we place under the roof run in ORT's kernels on ORT's
    /// thread pool at the same thread count; a managed memcpy may use other instructions (non-temporal stores) and threads.
    /// </summary>
    [JsonIgnore]
    public double BandwidthGBps => OrtBandwidth.Value;

    /// <summary>Operators that run on the int8 roof (their compute peak is <see cref="Int8Gops"/>); any domain prefix is ignored.</summary>
    public static bool IsIntegerOp(string opType)
    {
        ArgumentNullException.ThrowIfNull(opType);
        string op = opType[(opType.LastIndexOf(':') + 1)..]; // "com.microsoft:QGemm" → "QGemm"
        return op is "QLinearConv" or "ConvInteger" or "MatMulInteger" or "QGemm" or "QLinearMatMul" or "MatMulIntegerToFloat";
    }

    /// <summary>The flat roof for <paramref name="opType"/> in G(FL)OP/s: int8 peak for integer ops, fp32 otherwise.</summary>
    public double PeakFor(string opType) => IsIntegerOp(opType) ? Int8Gops.Value : Fp32Gflops.Value;

    /// <summary>Ridge point (FLOP/B) = peak / bandwidth: intensities below it are memory-bound.</summary>
    public double RidgePoint(string opType) => PeakFor(opType) / BandwidthGBps;

    /// <summary>Attainable G(FL)OP/s at intensity I (FLOP/B) = min(peak, I × bandwidth); GB/s × FLOP/B = GFLOP/s.</summary>
    public double AttainableGflops(double intensity, string opType) => Math.Min(PeakFor(opType), intensity * BandwidthGBps);

    /// <summary>Memory-bound when intensity &lt; ridge point, else compute-bound (exactly at the ridge both roofs meet: compute).</summary>
    public RooflineBound BoundAt(double intensity, string opType) =>
        intensity < RidgePoint(opType) ? RooflineBound.MemoryBound : RooflineBound.ComputeBound;

    /// <summary>How the roofs were obtained, for every view to print beside them.</summary>
    [JsonIgnore]
    public string Method =>
        $"{CpuModel}, {Threads} thread(s), ONNX Runtime {OnnxRuntimeVersion}. Compute roofs: {Fp32Gflops.Method} " +
        $"Bandwidth roof: {OrtBandwidth.Method} (a managed copy measured {ManagedCopyBandwidth.Value:G3} GB/s). " +
        "Paper peaks are estimates: see their bases.";

    /// <summary>
    /// This machine's roofline: the cached one if present (a file per CPU model, cores, SIMD features and ORT version), else
    /// measured now with <see cref="MachineRooflineProbe"/> (about 10–20 s) and cached.
    /// </summary>
    /// <param name="remeasure">Measure even if cached (e.g. after changing BIOS or power settings), and overwrite the cache.</param>
    public static MachineRoofline Get(bool remeasure = false, MachineRooflineOptions? options = null,
        IProgress<Benchmarking.BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var cache = MachineRooflineCache.Default;
        string key = MachineRooflineCache.KeyOf(MachineInfo.Current, Ort.Version);
        if (!remeasure && cache.TryLoad(key) is { } cached)
            return cached;
        var measured = MachineRooflineProbe.Measure(options, progress, cancellationToken);
        cache.Save(measured);
        return measured;
    }
}
