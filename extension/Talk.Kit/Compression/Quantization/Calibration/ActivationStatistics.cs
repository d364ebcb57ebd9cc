namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// Everything calibration kept about a model's activations (extremes and histograms of |x|), from which any method's
/// ranges follow without running the model again: collect once, compare MinMax, Percentile and Entropy.
/// </summary>
/// <param name="Model">Name of the model observed.</param>
/// <param name="Tensors">One entry per observed tensor (graph input first, then node outputs in graph order).</param>
/// <param name="Samples">Samples run.</param>
public sealed record ActivationStatistics(string Model, IReadOnlyList<TensorStatistics> Tensors, int Samples)
{
    public IReadOnlyList<TensorStatistics> Tensors { get; init; } = Tensors.ToArray();

    /// <summary>The statistics of one tensor; a readable error for a name that was not observed.</summary>
    public TensorStatistics this[string tensor] => Tensors.FirstOrDefault(t => t.Name == tensor)
        ?? throw new KeyNotFoundException($"Tensor '{tensor}' was not observed during calibration of '{Model}'. Observed: {string.Join(", ", Tensors.Take(12).Select(t => t.Name))}.");

    /// <summary>The range of one tensor by <paramref name="options"/>' method.</summary>
    public TensorRange RangeOf(TensorStatistics tensor, CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Method == CalibrationMethod.MinMax)
            return tensor.Range;
        var histogram = tensor.Histogram ?? throw new QuantizationException(
            $"Tensor '{tensor.Name}' was observed without a histogram, which {options.Method} needs. Collect with Calibrator.Collect, or calibrate with Method = {options.Method}.");
        double threshold = options.Method == CalibrationMethod.Percentile
            ? PercentileThreshold.Of(histogram, options.Percentile)
            : EntropyThreshold.Of(histogram, options.QuantizedBins);
        return PercentileThreshold.RangeFromThreshold(tensor.Range, threshold);
    }

    /// <summary>Every tensor's range by <paramref name="options"/>' method: what the quantizer consumes.</summary>
    public ActivationRanges ToRanges(CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ActivationRanges(Tensors.ToDictionary(t => t.Name, t => RangeOf(t, options)), options.Describe(), Samples);
    }
}
