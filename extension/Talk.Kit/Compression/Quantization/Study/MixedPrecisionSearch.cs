using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>What the automatic mode chose and why.</summary>
/// <param name="KeepFp32">Layers left in fp32.</param>
/// <param name="UseFp32">True when no int8 configuration was faster than fp32: the model is left in fp32.</param>
/// <param name="Steps">The decisions in order, in words.</param>
/// <param name="Sensitivity">The per-layer measurements the decisions rest on.</param>
/// <param name="FinalLatency">Chosen configuration against fp32, interleaved.</param>
public sealed record MixedPrecisionDecision(IReadOnlySet<string> KeepFp32, bool UseFp32, IReadOnlyList<string> Steps,
    SensitivityReport Sensitivity, ModelBenchmarkResult FinalLatency)
{
    public string Summary => UseFp32 ? "int8 was not faster than fp32 on this machine, so the model stays fp32"
        : KeepFp32.Count == 0 ? "every layer in int8" : $"{string.Join(", ", KeepFp32.Order())} kept in fp32";
}

/// <summary>
/// Automatic mixed precision: keep in fp32 the layers that run slower in int8 on this machine and, while the quality
/// drop exceeds the budget, the layer whose quantization alone costs most; then check the result against fp32 and
/// keep fp32 if int8 did not pay. Greedy by design: a handful of layers, every step measured, every step explained.
/// </summary>
public static class MixedPrecisionSearch
{
    /// <summary>A layer is kept fp32 for speed when the model is at least this much faster with it in fp32 (3%: above the noise of a median ratio).</summary>
    public const double SpeedThreshold = 0.97;

    /// <summary>Test images for the per-layer quality checks (the final evaluation uses the request's count).</summary>
    public const int SearchImages = 2000;

    public static MixedPrecisionDecision Run(Model prepared, ActivationRanges ranges, StaticQuantizationOptions options, QuantizationData data,
        QuantizationRequest request, IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int batch = request.Batches[0];
        int images = Math.Min(SearchImages, request.EvaluationImages);
        var sensitivity = SensitivityAnalysis.Run(prepared, ranges, options, data, images, batch, request.Runs, request.Threads, progress, cancellationToken);
        var steps = new List<string> { $"All int8: {sensitivity.Quality} {sensitivity.AllInt8Quality:P2} (fp32 {sensitivity.ReferenceQuality:P2})." };

        var keep = options.KeepFp32.ToHashSet();
        foreach (var slow in sensitivity.Layers.Where(l => l.LatencyKeepingFp32 < SpeedThreshold).OrderBy(l => l.LatencyKeepingFp32))
        {
            keep.Add(slow.Node);
            steps.Add($"Keep {slow.Node} ({slow.OpType}) fp32 for speed: the model runs at ×{slow.LatencyKeepingFp32:0.00} of all-int8 with it in fp32.");
        }

        var judge = new QualityJudge(prepared, data, images, request.Threads);
        var candidate = StaticQuantizer.Quantize(prepared, ranges, options with { KeepFp32 = keep }).Model;
        double quality = judge.Quality(candidate, cancellationToken);
        foreach (var costly in sensitivity.Layers.Where(l => !keep.Contains(l.Node)).OrderByDescending(l => l.DropAlone))
        {
            if (judge.Reference - quality <= request.MaxAccuracyDrop) break;
            keep.Add(costly.Node);
            candidate = StaticQuantizer.Quantize(prepared, ranges, options with { KeepFp32 = keep }).Model;
            double before = quality;
            quality = judge.Quality(candidate, cancellationToken);
            steps.Add($"Drop {judge.Reference - before:P2} exceeds the budget {request.MaxAccuracyDrop:P2}: keep {costly.Node} fp32 (alone it cost {costly.DropAlone:P2}); now {quality:P2}.");
        }
        bool allFp32 = sensitivity.Layers.All(l => keep.Contains(l.Node));

        progress?.Report(new("mixed precision: final check against fp32", 0, request.Runs));
        var final = ModelBenchmark.Run(
            [new ModelVariant("fp32", prepared, batch, request.Threads), new ModelVariant("mixed", candidate, batch, request.Threads)],
            new BenchmarkOptions(WarmupRuns: 3, Runs: request.Runs), null, cancellationToken);
        double ratio = final.RatioMedian("mixed", "fp32");
        bool useFp32 = allFp32 || ratio >= 1 || judge.Reference - quality > request.MaxAccuracyDrop;
        steps.Add(useFp32
            ? $"Chosen configuration against fp32 at batch {batch}: ×{ratio:0.00} latency, quality {quality:P2} — int8 does not pay here, so the model stays fp32."
            : $"Chosen configuration against fp32 at batch {batch}: ×{ratio:0.00} latency, quality {quality:P2} (fp32 {judge.Reference:P2}).");
        return new MixedPrecisionDecision(useFp32 ? new HashSet<string>() : keep, useFp32, steps, sensitivity, final);
    }
}
