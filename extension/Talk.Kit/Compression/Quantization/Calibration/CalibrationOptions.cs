namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>How to calibrate. The defaults are a sensible short form: MinMax over 512 samples in batches of 64.</summary>
/// <param name="Method">MinMax, Percentile or Entropy.</param>
/// <param name="Samples">At most this many samples are run (fewer if the batches run out first).</param>
/// <param name="Percentile">For <see cref="CalibrationMethod.Percentile"/>: the percentile of |x| kept, in (0, 100]; 99.99 clips 1 value in 10,000.</param>
/// <param name="Bins">Histogram bins of |x| per tensor (Percentile and Entropy); TensorRT uses 2048. Even, 256…65536.</param>
/// <param name="BatchSize">Samples per ONNX Runtime run (ignored when the model's batch is fixed).</param>
/// <param name="Tensors">Tensor names to observe; null: every float graph input and every float node output.</param>
/// <param name="QuantizedBins">For Entropy: the levels a candidate distribution is quantized into; 128 = the int8 grid of |x|.</param>
/// <param name="Threads">ONNX Runtime intra-op threads; null: the machine's physical cores.</param>
public sealed record CalibrationOptions(
    CalibrationMethod Method = CalibrationMethod.MinMax,
    int Samples = 512,
    double Percentile = 99.99,
    int Bins = 2048,
    int BatchSize = 64,
    IReadOnlyList<string>? Tensors = null,
    int QuantizedBins = 128,
    int? Threads = null)
{
    public static CalibrationOptions Default { get; } = new();

    /// <summary>Whether the method needs histograms of |x| (MinMax needs only running extremes).</summary>
    internal bool NeedsHistograms => Method != CalibrationMethod.MinMax;

    /// <summary>"Entropy (KL, 2048 bins → 128 levels)", "Percentile 99.99", "MinMax": what <see cref="ActivationRanges.Method"/> says.</summary>
    public string Describe() => Method switch
    {
        CalibrationMethod.Percentile => $"Percentile {Percentile:G6}",
        CalibrationMethod.Entropy => $"Entropy (KL, {Bins} bins → {QuantizedBins} levels)",
        _ => "MinMax",
    };

    /// <summary>Throws a readable error for a value out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method))
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Method must be MinMax, Percentile or Entropy.");
        if (Samples < 1)
            throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Calibrate on at least 1 sample; a few hundred (e.g. 512) is usual.");
        if (!(Percentile > 0 && Percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(Percentile), Percentile, "Percentile must be in (0, 100], e.g. 99.99.");
        if (Bins < 256 || Bins > 65536 || Bins % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(Bins), Bins, "Bins must be even and between 256 and 65536, e.g. 2048.");
        if (QuantizedBins < 2 || QuantizedBins >= Bins)
            throw new ArgumentOutOfRangeException(nameof(QuantizedBins), QuantizedBins, $"QuantizedBins must be at least 2 and below Bins ({Bins}), e.g. 128.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch size must be at least 1, e.g. 64.");
        if (Threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1, e.g. 2.");
    }
}
