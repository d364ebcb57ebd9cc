using Talk.Kit.Compression.Quantization;

namespace Talk.Kit.Training.Qat;

/// <summary>How an observer combines the ranges of successive batches.</summary>
public enum RangeTracking
{
    /// <summary>Exponential moving average of each batch's min and max (QAT: follows the weights as they move).</summary>
    MovingAverage,

    /// <summary>The smallest range holding every batch seen (post-training calibration, as ONNX Runtime's MinMax calibrator).</summary>
    MinMax,
}

/// <summary>
/// Tracks the real range of one activation tensor across batches (Jacob et al. 2018, §3.1: "exponential moving
/// averages of the activation ranges"). Pure arithmetic on batch minima and maxima: it holds no tensors.
/// </summary>
/// <remarks>
/// Moving average, per batch b: min ← min + m·(min_b − min), max ← max + m·(max_b − max); the first batch sets both.
/// With m = 0.01 (PyTorch's MovingAverageMinMaxObserver default) a batch's weight halves after ~69 batches.
/// Once <see cref="Frozen"/>, batches are ignored: the network finishes training against fixed grids, the ones exported.
/// </remarks>
public sealed class RangeObserver(RangeTracking tracking = RangeTracking.MovingAverage, double momentum = 0.01)
{
    private double min, max;

    /// <summary>How batches are combined.</summary>
    public RangeTracking Tracking { get; set; } = tracking;

    /// <summary>Weight m of the newest batch in the moving average, 0 &lt; m ≤ 1.</summary>
    public double Momentum { get; } = momentum is > 0 and <= 1 ? momentum
        : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in (0, 1], e.g. 0.01.");

    /// <summary>When true, <see cref="Observe"/> leaves the range as it is.</summary>
    public bool Frozen { get; set; }

    /// <summary>Batches folded in (those observed while frozen do not count).</summary>
    public int Batches { get; private set; }

    /// <summary>True once a batch was observed.</summary>
    public bool HasRange => Batches > 0;

    /// <summary>The tracked range; throws if nothing was observed yet.</summary>
    public TensorRange Range => HasRange ? new((float)min, (float)max)
        : throw new InvalidOperationException("No range observed yet: run calibration batches (or a training step) through the network first.");

    /// <summary>Folds one batch's minimum and maximum into the range (unless frozen).</summary>
    /// <param name="batchMin">Smallest value of the batch.</param>
    /// <param name="batchMax">Largest value of the batch.</param>
    public void Observe(float batchMin, float batchMax)
    {
        if (Frozen) return;
        if (!(batchMin <= batchMax)) // also catches NaN: a diverged batch must not poison the range silently
            throw new ArgumentException($"Batch range [{batchMin}, {batchMax}] is empty or NaN.", nameof(batchMin));
        if (Batches == 0)
            (min, max) = (batchMin, batchMax);
        else if (Tracking == RangeTracking.MinMax)
            (min, max) = (Math.Min(min, batchMin), Math.Max(max, batchMax));
        else
            (min, max) = (min + Momentum * (batchMin - min), max + Momentum * (batchMax - max));
        Batches++;
    }
}
