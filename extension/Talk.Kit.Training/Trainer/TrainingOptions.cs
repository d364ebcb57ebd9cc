namespace Talk.Kit.Training;

/// <summary>The hyper-parameters of a training run; every field is part of the trained-weights cache key.</summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Images per optimizer step.</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="Seed">Seeds the initial weights and the shuffling: same seed, same data, same options → same weights.</param>
/// <param name="TrainImages">Use only the first N training images (a quick schedule); null = all.</param>
public sealed record TrainingOptions(int Epochs = 3, int BatchSize = 64, double LearningRate = 1e-3, int Seed = 0, int? TrainImages = null)
{
    /// <summary>Throws a readable error for nonsense values.</summary>
    public void Validate()
    {
        if (Epochs is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be between 1 and 1000, e.g. --epochs 3.");
        if (BatchSize is < 1 or > 65536) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be between 1 and 65536, e.g. 64.");
        if (!(LearningRate > 0 && LearningRate < 10)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and small, e.g. 0.001.");
        if (TrainImages is < 1) throw new ArgumentOutOfRangeException(nameof(TrainImages), TrainImages, "TrainImages must be at least 1 (or null for all).");
    }
}

/// <summary>Live progress of training, reported every few batches.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Loss">Mean cross-entropy over the epoch so far.</param>
/// <param name="Accuracy">Training accuracy over the epoch so far (dropout on, so below test accuracy early on).</param>
/// <param name="ImagesPerSecond">Training throughput over the epoch so far.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, double ImagesPerSecond);

/// <summary>One finished epoch.</summary>
public sealed record EpochResult(int Epoch, double Loss, double Accuracy, double Seconds, double ImagesPerSecond);
