using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>One layer's sensitivity to int8.</summary>
/// <param name="Node">The Conv/Gemm/MatMul.</param>
/// <param name="OpType">Its op type.</param>
/// <param name="QualityAlone">Quality with only this layer in int8 (accuracy, or mean cosine for a featurizer).</param>
/// <param name="DropAlone">Reference quality − <paramref name="QualityAlone"/>: what quantizing this layer alone costs.</param>
/// <param name="LatencyKeepingFp32">Median per-round latency of "every layer int8 but this one" / "every layer int8":
/// below 1 means this layer is faster in fp32 (e.g. a one-channel first conv).</param>
public sealed record LayerSensitivity(string Node, string OpType, double QualityAlone, double DropAlone, double LatencyKeepingFp32);

/// <summary>Per-layer sensitivities, with how quality was measured.</summary>
/// <param name="Quality">"accuracy on N test images" or "mean cosine with fp32 on N test images".</param>
/// <param name="ReferenceQuality">fp32 quality on the same images (1 for cosine).</param>
/// <param name="AllInt8Quality">Quality with every layer in int8.</param>
/// <param name="Latency">The interleaved latency comparison behind <see cref="LayerSensitivity.LatencyKeepingFp32"/>.</param>
public sealed record SensitivityReport(string ModelName, string Quality, double ReferenceQuality, double AllInt8Quality,
    IReadOnlyList<LayerSensitivity> Layers, ModelBenchmarkResult Latency);

/// <summary>
/// Quantize one layer at a time (the others stay fp32) and measure the quality drop; keep one layer at a time in fp32
/// (the others int8) and measure the latency change. The first finds the layers that cost accuracy, the second the
/// layers int8 does not speed up on this machine.
/// </summary>
public static class SensitivityAnalysis
{
    public const string AllInt8 = "all int8";
    public const string Fp32 = "fp32";

    /// <param name="prepared">The prepared fp32 model (<see cref="QuantizationPreparation.Prepare"/>).</param>
    /// <param name="ranges">Its activation ranges.</param>
    /// <param name="options">Static options; their KeepFp32 layers stay fp32 throughout.</param>
    /// <param name="images">Test images used for quality (fewer than the final evaluation: this runs once per layer).</param>
    public static SensitivityReport Run(Model prepared, ActivationRanges ranges, StaticQuantizationOptions options, QuantizationData data,
        int images, int batch = 1, int runs = 30, int? threads = null, IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var judge = new QualityJudge(prepared, data, images, threads);
        var all = StaticQuantizer.Quantize(prepared, ranges, options);
        var anchors = all.ParamsByNode.Keys.ToList();
        var opTypes = prepared.Nodes().ToDictionary(n => n.Name, n => n.OpType);

        var alone = new List<double>();
        for (int i = 0; i < anchors.Count; i++)
        {
            progress?.Report(new("sensitivity: one layer int8 at a time", i, anchors.Count));
            var keep = options.KeepFp32.Union(anchors.Where(a => a != anchors[i])).ToHashSet();
            alone.Add(judge.Quality(StaticQuantizer.Quantize(prepared, ranges, options with { KeepFp32 = keep }).Model, cancellationToken));
        }

        progress?.Report(new("sensitivity: latency keeping one layer fp32", 0, runs));
        var variants = new List<ModelVariant> { new(AllInt8, all.Model, batch, threads), new(Fp32, prepared, batch, threads) };
        foreach (var a in anchors)
            variants.Add(new(a, StaticQuantizer.Quantize(prepared, ranges, options with { KeepFp32 = options.KeepFp32.Append(a).ToHashSet() }).Model, batch, threads));
        var latency = ModelBenchmark.Run(variants, new BenchmarkOptions(WarmupRuns: 3, Runs: runs),
            ProgressRelay.Map(progress, (BenchmarkProgress b) => new QuantizationProgress("sensitivity: latency keeping one layer fp32", b.Completed, b.Total)), cancellationToken);

        double allQuality = judge.Quality(all.Model, cancellationToken);
        var layers = anchors.Select((a, i) => new LayerSensitivity(a, opTypes.GetValueOrDefault(a, "?"), alone[i], judge.Reference - alone[i],
            latency.RatioMedian(a, AllInt8))).ToList();
        return new SensitivityReport(prepared.Name, judge.Description, judge.Reference, allQuality, layers, latency);
    }
}

/// <summary>One number for "how good is this model": accuracy for a classifier, mean cosine with fp32 for a featurizer.</summary>
internal sealed class QualityJudge(Model reference, QuantizationData data, int images, int? threads)
{
    private readonly bool accuracy = data.CanMeasureAccuracy(reference);
    private readonly LabelledImages test = data.Test.Take(Math.Min(images, data.Test.Count));

    public string Description => accuracy ? $"accuracy on {test.Count} test images" : $"mean cosine with fp32 on {test.Count} test images";

    private double? referenceQuality;

    /// <summary>The fp32 model's quality on the same images (measured once).</summary>
    public double Reference => referenceQuality ??= accuracy ? Evaluator.Accuracy(reference, test, threads: threads).Accuracy : 1;

    public double Quality(Model model, CancellationToken cancellationToken) => accuracy
        ? Evaluator.Accuracy(model, test, threads: threads, cancellationToken: cancellationToken).Accuracy
        : Evaluator.Agreement(model, reference, data.TestBatches(reference, test.Count), threads, cancellationToken).MeanCosine;
}
