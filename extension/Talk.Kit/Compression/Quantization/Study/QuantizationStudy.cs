using Talk.Kit.Compression.Quantization.Calibration;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>Bytes of the fp32 and the quantized model files.</summary>
public sealed record ModelSizes(long Fp32Bytes, long QuantizedBytes)
{
    public double Ratio => QuantizedBytes > 0 ? (double)Fp32Bytes / QuantizedBytes : 0;
}

/// <summary>Accuracy on held-out images (classifiers only) and agreement with the fp32 model's outputs (any model).</summary>
public sealed record QuantizationQuality(ClassifierEvaluation? Fp32Accuracy, ClassifierEvaluation? QuantizedAccuracy, AgreementEvaluation Agreement)
{
    /// <summary>fp32 accuracy − quantized accuracy, as a fraction (0.005 = half a point); null without labels.</summary>
    public double? AccuracyDrop => Fp32Accuracy is { } a && QuantizedAccuracy is { } q ? a.Accuracy - q.Accuracy : null;
}

/// <summary>
/// A quantized model and everything that judges it: sizes, accuracy and agreement on held-out data, interleaved
/// latency against fp32 at each batch size, SQNR per layer, a weight histogram with its grid, the kernels ONNX Runtime
/// really runs, and (automatic mode) how the fp32 layers were chosen.
/// </summary>
public sealed record QuantizationStudy(
    Model Fp32,
    Model Quantized,
    QuantizationRequest Request,
    string Method,
    QuantizationResult? Result,
    ActivationRanges? Ranges,
    MixedPrecisionDecision? MixedPrecision,
    ModelSizes Sizes,
    QuantizationQuality Quality,
    IReadOnlyList<ModelBenchmarkResult> Latency,
    IReadOnlyList<LayerError> LayerErrors,
    WeightHistogram? Histogram,
    KernelReport Kernels)
{
    /// <summary>Median per-round latency ratio quantized / fp32 at a batch size (less than 1: quantized is faster).</summary>
    public double? LatencyRatio(int batch) => Latency.FirstOrDefault(l => l.Variants[0].Batch == batch) is { } r
        ? r.RatioMedian(r.Variants[1].Name, r.Variants[0].Name) : null;

    /// <summary>Quantizes <paramref name="fp32"/> as <paramref name="request"/> says and measures the result.</summary>
    /// <exception cref="QuantizationException">Nothing to quantize, missing ranges, or an empty calibration set.</exception>
    public static QuantizationStudy Run(Model fp32, QuantizationData data, QuantizationRequest? request = null,
        IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(data);
        request ??= new QuantizationRequest();
        request.Validate();
        var made = Quantize(fp32, data, request, progress, cancellationToken);
        return Measure(fp32, made, data, request, progress, cancellationToken);
    }

    /// <summary>
    /// Measures a quantized model made elsewhere (quantization-aware training, in Talk.Kit.Training) exactly as
    /// <see cref="Run"/> measures its own: against <paramref name="reference"/>, the fp32 model it was made from.
    /// </summary>
    public static QuantizationStudy Of(Model original, Model reference, QuantizationResult result, string method, ActivationRanges? ranges,
        QuantizationData data, QuantizationRequest? request = null, IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        request ??= new QuantizationRequest();
        request.Validate();
        return Measure(original, new Made(reference, result.Model, method, result, ranges, null), data, request, progress, cancellationToken);
    }

    /// <summary>What the quantization step made, before it is measured.</summary>
    internal sealed record Made(Model Reference, Model Quantized, string Method, QuantizationResult? Result, ActivationRanges? Ranges, MixedPrecisionDecision? Decision);

    private static Made Quantize(Model fp32, QuantizationData data, QuantizationRequest request,
        IProgress<QuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        switch (request.Method)
        {
            case QuantizationMethod.Fp16:
                progress?.Report(new("convert to fp16", 0, 0));
                var half = Fp16Converter.Convert(fp32).Model;
                return new(fp32, half, "fp16: weights and arithmetic in float16, fp32 at the graph's input and output", null, null, null);
            case QuantizationMethod.Dynamic:
                progress?.Report(new("quantize dynamically", 0, 0));
                var dynamic = DynamicQuantizer.Quantize(fp32);
                return new(fp32, dynamic.Model, "dynamic int8: int8 weights, activations quantized at run time per batch", dynamic, null, null);
            default:
                progress?.Report(new("prepare (fold BatchNorm, raise opset)", 0, 0));
                var prepared = QuantizationPreparation.Prepare(fp32).Model;
                var calibration = new CalibrationOptions { Method = request.Calibration, Samples = request.Samples, Percentile = request.Percentile };
                var ranges = Calibrator.Calibrate(prepared, data.CalibrationBatches(prepared, request.Samples), calibration,
                    ProgressRelay.Map(progress, (CalibrationProgress p) => new QuantizationProgress("calibrate", p.Samples, p.Total)), cancellationToken);
                var options = new StaticQuantizationOptions { PerChannel = request.PerChannel, WeightBits = request.ResolvedWeightBits, KeepFp32 = request.KeepFp32 };
                MixedPrecisionDecision? decision = null;
                if (request.AutoKeepFp32)
                {
                    decision = MixedPrecisionSearch.Run(prepared, ranges, options, data, request, progress, cancellationToken);
                    if (decision.UseFp32)
                        return new(prepared, prepared, $"none: {decision.Summary}", null, ranges, decision);
                    options = options with { KeepFp32 = decision.KeepFp32 };
                }
                var result = StaticQuantizer.Quantize(prepared, ranges, options);
                string bits = request.WeightBits is null && options.WeightBits == 7 ? " (7 bits: this CPU has no VNNI, see reduce_range)" : "";
                string how = $"static int8 (QDQ): {result.ParamsByNode.Count} layers with {(request.PerChannel ? "per-channel" : "per-tensor")} {options.WeightType} weights{bits}, " +
                             $"uint8 activations calibrated by {calibration.Describe()} on {ranges.Samples} training images" +
                             (options.KeepFp32.Count > 0 ? $"; kept fp32: {string.Join(", ", options.KeepFp32.Order())}" : "");
                return new(prepared, result.Model, how, result, ranges, decision);
        }
    }

    private static QuantizationStudy Measure(Model original, Made made, QuantizationData data, QuantizationRequest request,
        IProgress<QuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        int images = Math.Min(request.EvaluationImages, data.Test.Count);
        progress?.Report(new("evaluate", 0, images));
        var quality = QualityOf(made.Reference, made.Quantized, data, images, request.Threads, cancellationToken);

        var batches = made.Reference.Inputs[0].Dims is [{ Value: { } fixedBatch }, ..] ? [(int)fixedBatch] : request.Batches;
        var latency = new List<ModelBenchmarkResult>();
        foreach (int batch in batches)
        {
            var p = ProgressRelay.Map(progress, (BenchmarkProgress b) => new QuantizationProgress($"benchmark batch {batch} ({b.Phase})", b.Completed, b.Total));
            latency.Add(ModelBenchmark.Run(
            [
                new ModelVariant($"fp32 b{batch}", made.Reference, batch, request.Threads),
                new ModelVariant($"{ShortName(request.Method)} b{batch}", made.Quantized, batch, request.Threads),
            ], new BenchmarkOptions(WarmupRuns: 5, Runs: request.Runs), p, cancellationToken));
        }

        progress?.Report(new("layer errors", 0, 0));
        var errors = made.Result is { ActivationParams.Count: > 0 } result
            ? LayerErrorAnalysis.Measure(made.Reference, result, data.TestBatches(made.Reference, Math.Min(images, 64)), request.Threads, cancellationToken)
            : [];
        var histogram = HistogramOfWorstLayer(made.Reference, made.Result, errors);
        var kernels = KernelInspector.Inspect(made.Quantized);
        return new QuantizationStudy(original, made.Quantized, request, made.Method, made.Result, made.Ranges, made.Decision,
            new ModelSizes(original.SizeBytes, made.Quantized.SizeBytes), quality, latency, errors, histogram, kernels);
    }

    internal static QuantizationQuality QualityOf(Model reference, Model quantized, QuantizationData data, int images, int? threads, CancellationToken cancellationToken)
    {
        ClassifierEvaluation? a = null, q = null;
        if (data.CanMeasureAccuracy(reference))
        {
            var test = data.Test.Take(images);
            a = Evaluator.Accuracy(reference, test, threads: threads, cancellationToken: cancellationToken);
            q = Evaluator.Accuracy(quantized, test, threads: threads, cancellationToken: cancellationToken);
        }
        var agreement = Evaluator.Agreement(quantized, reference, data.TestBatches(reference, images), threads, cancellationToken);
        return new QuantizationQuality(a, q, agreement);
    }

    private static WeightHistogram? HistogramOfWorstLayer(Model reference, QuantizationResult? result, IReadOnlyList<LayerError> errors)
    {
        if (result is null || result.ParamsByNode.Count == 0) return null;
        string node = errors.Count > 0 ? errors.MinBy(e => e.SqnrDb)!.Node : result.ParamsByNode.Keys.First();
        var w = result.ParamsByNode[node];
        return WeightHistogram.Of(reference.FloatInitializer(w.Weight), w);
    }

    private static string ShortName(QuantizationMethod method) => method switch
    {
        QuantizationMethod.Fp16 => "fp16",
        QuantizationMethod.Dynamic => "dynamic int8",
        _ => "int8",
    };
}
