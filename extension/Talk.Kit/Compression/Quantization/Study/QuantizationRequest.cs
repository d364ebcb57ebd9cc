using Talk.Kit.Compression.Quantization.Calibration;

namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>How a model is quantized: static int8 (calibrated Q/DQ), dynamic int8 (activations quantized at run time) or fp16.</summary>
public enum QuantizationMethod { Static, Dynamic, Fp16 }

/// <summary>
/// Everything <see cref="QuantizationStudy.Run"/> needs to know: the method and its settings, which layers stay fp32
/// (given, or chosen automatically against an accuracy budget and measured latency), and how to measure the result.
/// </summary>
public sealed record QuantizationRequest
{
    public QuantizationMethod Method { get; init; } = QuantizationMethod.Static;

    /// <summary>Static: one weight scale per output channel (default) or one per tensor.</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>
    /// Static: weight bits, 2–8 (codes stored in int8). Null: 8 where the CPU has an int8 dot-product instruction (VNNI),
    /// else 7 — ONNX Runtime's "reduce_range": without VNNI its u8×s8 kernels add pairs of products in 16 bits, and
    /// 255·127·2 = 64,770 overflows 32,767; with 7-bit weights (|w| ≤ 63) no pair can.
    /// </summary>
    public int? WeightBits { get; init; }

    /// <summary>The weight bits used: <see cref="WeightBits"/>, or the choice for this machine.</summary>
    public int ResolvedWeightBits => WeightBits ?? StaticQuantizationOptions.ForThisMachine().WeightBits;

    /// <summary>Static: how activation ranges are found from the calibration images.</summary>
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.MinMax;

    /// <summary>Static, percentile calibration: the percentile of |x| kept (e.g. 99.99).</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>Static: calibration images, taken from the training split (never the test set).</summary>
    public int Samples { get; init; } = 512;

    /// <summary>Static: Conv/Gemm/MatMul nodes left in fp32 by name.</summary>
    public IReadOnlySet<string> KeepFp32 { get; init; } = new HashSet<string>();

    /// <summary>Static: choose the fp32 layers automatically (<see cref="MixedPrecisionSearch"/>); overrides <see cref="KeepFp32"/>.</summary>
    public bool AutoKeepFp32 { get; init; }

    /// <summary>Largest accuracy drop allowed by the automatic choice, as a fraction (0.005 = half a percentage point).</summary>
    public double MaxAccuracyDrop { get; init; } = 0.005;

    /// <summary>Batch sizes timed against fp32 (a fixed-batch model is timed at its batch only).</summary>
    public IReadOnlyList<int> Batches { get; init; } = [1, 64];

    /// <summary>Interleaved rounds per latency comparison.</summary>
    public int Runs { get; init; } = 50;

    /// <summary>ONNX Runtime threads (default: physical cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Test images evaluated (accuracy, agreement); ImageNet-sized models are slow, so fewer is sensible there.</summary>
    public int EvaluationImages { get; init; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting and a good value.</summary>
    public void Validate()
    {
        if (WeightBits is not null and (< 2 or > 8)) throw new ArgumentOutOfRangeException(nameof(WeightBits), WeightBits, "Weight bits must be 2–8, e.g. 8.");
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Calibrate on at least one image, e.g. --samples 512.");
        if (Percentile is <= 50 or > 100) throw new ArgumentOutOfRangeException(nameof(Percentile), Percentile, "The percentile must be in (50, 100], e.g. 99.99.");
        if (MaxAccuracyDrop is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(MaxAccuracyDrop), MaxAccuracyDrop, "The accuracy budget is a fraction in [0, 1), e.g. 0.005 for half a point.");
        if (Batches.Count == 0 || Batches.Any(b => b < 1)) throw new ArgumentException("Give batch sizes ≥ 1 to time, e.g. 1 and 64.", nameof(Batches));
        if (Runs < 3) throw new ArgumentOutOfRangeException(nameof(Runs), Runs, "Time at least 3 interleaved rounds, e.g. 50.");
        if (EvaluationImages < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationImages), EvaluationImages, "Evaluate on at least one image.");
        if (Threads is < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1.");
    }
}
