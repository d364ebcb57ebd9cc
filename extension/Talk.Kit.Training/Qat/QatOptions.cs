using Talk.Kit.Compression.Quantization;

namespace Talk.Kit.Training.Qat;

/// <summary>A quantization-aware fine-tuning run.</summary>
/// <param name="WeightBits">Weight grid: signed n-bit codes (2–8), symmetric, as the static quantizer's WeightBits.</param>
/// <param name="PerChannel">One weight scale per output channel (the quantizer's PerChannel), else per tensor.</param>
/// <param name="Epochs">Passes over the training images.</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="LearningRate">Adam's step: fine-tuning wants ~10× less than training from scratch; at 2–3 bits the weights
/// must move further from the float optimum, and 1e-3 worked better (lenet-5, 2 bits, 10k images: 83.8% vs 74.6% at 1e-4).</param>
/// <param name="Seed">Shuffling seed.</param>
/// <param name="TrainImages">Use only the first N training images; null = all.</param>
/// <param name="CalibrationImages">Training images whose min/max start the activation ranges.</param>
/// <param name="RangeMomentum">Moving-average weight of each batch in the activation ranges (PyTorch's default 0.01).</param>
/// <param name="FreezeRangesAt">Fraction of the training steps after which ranges stop moving, so the last steps
/// train against the grids that are exported (0: never move after calibration; 1: never freeze).</param>
public sealed record QatOptions(int WeightBits = 4, bool PerChannel = true, int Epochs = 1, int BatchSize = 64, double LearningRate = 1e-4,
    int Seed = 0, int? TrainImages = null, int CalibrationImages = 1000, double RangeMomentum = 0.01, double FreezeRangesAt = 0.75)
{
    /// <summary>The weight grid, e.g. int4 (codes −8…7) for 4 bits.</summary>
    public QuantType WeightType => QuantType.SignedBits(WeightBits);

    /// <summary>The trainer's options for this run.</summary>
    public TrainingOptions Training => new(Epochs, BatchSize, LearningRate, Seed, TrainImages);

    /// <summary>Throws a readable error for nonsense values.</summary>
    public void Validate()
    {
        if (WeightBits is < 2 or > 8) throw new ArgumentOutOfRangeException(nameof(WeightBits), WeightBits, "Weight bits must be between 2 and 8, e.g. 4.");
        if (CalibrationImages < 1) throw new ArgumentOutOfRangeException(nameof(CalibrationImages), CalibrationImages, "Calibrate on at least 1 image, e.g. 1000.");
        if (!(RangeMomentum is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(RangeMomentum), RangeMomentum, "The range momentum must be in (0, 1], e.g. 0.01.");
        if (!(FreezeRangesAt is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(FreezeRangesAt), FreezeRangesAt, "FreezeRangesAt is a fraction of the run, e.g. 0.75.");
        Training.Validate();
    }
}
