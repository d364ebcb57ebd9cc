using Talk.Kit.Data;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// Post-training calibration: runs real samples through a model and turns what its activations did into the
/// ranges the quantizer needs (<see cref="ActivationRanges"/>). One pass over the data; memory bounded per tensor.
/// </summary>
/// <example><code>
/// var data = FashionMnist.Load();
/// var ranges = Calibrator.Calibrate(model, data, new CalibrationOptions(CalibrationMethod.Entropy));  // 512 training images
/// </code></example>
public static class Calibrator
{
    /// <summary>
    /// Calibrates on <paramref name="data"/>'s training split: <see cref="CalibrationSet.FromTraining"/> picks
    /// <see cref="CalibrationOptions.Samples"/> class-balanced images with the default seed (disjoint from the test split).
    /// </summary>
    public static ActivationRanges Calibrate(Model model, FashionMnistData data, CalibrationOptions? options = null,
        IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= CalibrationOptions.Default;
        options.Validate();
        var set = CalibrationSet.FromTraining(data, Math.Min(options.Samples, data.Train.Count));
        return Calibrate(model, set, options, progress, cancellationToken);
    }

    /// <summary>
    /// Calibrates on the first min(Samples, Count) of <paramref name="images"/>, normalized with <see cref="Normalization"/>
    /// (as in training) and fed as NCHW [batch, 1, Rows, Cols]. Choose them with <see cref="CalibrationSet"/>.
    /// </summary>
    public static ActivationRanges Calibrate(Model model, LabelledImages images, CalibrationOptions? options = null,
        IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        options ??= CalibrationOptions.Default;
        if (images.Count == 0)
            throw NoSamples($"the image set ({images.Source}) is empty");
        options = options with { Samples = Math.Min(options.Samples, images.Count) }; // progress then counts to what is really run
        return Calibrate(model, Batches(images, options.Samples, options.BatchSize, FixedBatchOf(model)), options, progress, cancellationToken);
    }

    /// <summary>Calibrates on input batches (row-major data, shape with the batch first), at most Samples samples of them.</summary>
    /// <returns>Each observed tensor's range by the options' method.</returns>
    /// <exception cref="QuantizationException">No samples, an unknown tensor name, a batch of the wrong shape.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static ActivationRanges Calibrate(Model model, IEnumerable<(float[] Data, long[] Shape)> batches, CalibrationOptions? options = null,
        IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= CalibrationOptions.Default;
        return Run(model, batches, options, options.NeedsHistograms, progress, cancellationToken).ToRanges(options);
    }

    /// <summary>
    /// Collects extremes and histograms of every observed tensor, so that <see cref="ActivationStatistics.ToRanges"/>
    /// can give each method's ranges from one pass (the options' Method is not used here).
    /// </summary>
    public static ActivationStatistics Collect(Model model, IEnumerable<(float[] Data, long[] Shape)> batches, CalibrationOptions? options = null,
        IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run(model, batches, options ?? CalibrationOptions.Default, histograms: true, progress, cancellationToken);

    /// <summary>As <see cref="Collect(Model, IEnumerable{ValueTuple{float[], long[]}}, CalibrationOptions?, IProgress{CalibrationProgress}?, CancellationToken)"/>, on images as <see cref="Calibrate(Model, LabelledImages, CalibrationOptions?, IProgress{CalibrationProgress}?, CancellationToken)"/> feeds them.</summary>
    public static ActivationStatistics Collect(Model model, LabelledImages images, CalibrationOptions? options = null,
        IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        options ??= CalibrationOptions.Default;
        if (images.Count == 0)
            throw NoSamples($"the image set ({images.Source}) is empty");
        options = options with { Samples = Math.Min(options.Samples, images.Count) };
        return Collect(model, Batches(images, options.Samples, options.BatchSize, FixedBatchOf(model)), options, progress, cancellationToken);
    }

    private static ActivationStatistics Run(Model model, IEnumerable<(float[] Data, long[] Shape)> batches, CalibrationOptions options,
        bool histograms, IProgress<CalibrationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        using var collector = new ActivationCollector(model, options.Tensors, histograms ? options.Bins : null, options.Threads);
        int total = options.Samples;
        foreach (var (data, shape) in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(data, "batch data");
            ArgumentNullException.ThrowIfNull(shape, "batch shape");
            int left = total - collector.Samples;
            if (shape.Length > 0 && shape[0] > left && collector.FixedBatch is null)
            {
                // Only the rows still needed: a symbolic batch takes any size (a fixed one must be fed whole).
                long[] rows = [left, .. shape[1..]];
                collector.Add(data.AsMemory(0, (int)(data.Length / shape[0] * left)), rows, cancellationToken);
            }
            else
                collector.Add(data, shape, cancellationToken);
            progress?.Report(new CalibrationProgress(Math.Min(collector.Samples, total), total));
            if (collector.Samples >= total) break;
        }
        if (collector.Samples == 0)
            throw NoSamples("the batches held none");
        if (collector.Samples < total)
            progress?.Report(new CalibrationProgress(collector.Samples, collector.Samples)); // fewer than asked: the run is complete anyway
        return new ActivationStatistics(model.Name, collector.Statistics, collector.Samples);
    }

    /// <summary>Normalized NCHW batches of the first <paramref name="count"/> images (a fixed model batch wins over the option).</summary>
    private static IEnumerable<(float[] Data, long[] Shape)> Batches(LabelledImages images, int count, int batchSize, int? fixedBatch)
    {
        int batch = fixedBatch ?? batchSize;
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            if (fixedBatch is { } f && n != f) yield break; // a fixed-batch model cannot take the remainder
            yield return (images.ToTensorData(start, n), [n, 1, images.Rows, images.Cols]);
        }
    }

    private static int? FixedBatchOf(Model model) =>
        model.Inputs.Count == 1 && model.Inputs[0].Dims is [{ Value: { } b }, ..] ? (int)b : null;

    private static QuantizationException NoSamples(string why) => new(
        $"Calibration needs real samples, but {why}. Give it a few hundred training images, e.g. " +
        "Calibrator.Calibrate(model, CalibrationSet.FromTraining(FashionMnist.Load(), 512)) — never test images.");
}
