using Talk.Kit.Data;

namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// Chooses the calibration images: N from the TRAINING split, never the test split (calibrating on test images
/// would tune the quantized model to the very data that later judges it), class-balanced (N/C per class, the first
/// N mod C classes one more) and drawn with a fixed seed, so the same call gives the same images — and the same
/// ranges — every time.
/// </summary>
public static class CalibrationSet
{
    /// <summary>The seed used unless another is given.</summary>
    public const int DefaultSeed = 20261126;

    /// <summary>N class-balanced images from <paramref name="data"/>'s training split.</summary>
    public static LabelledImages FromTraining(FashionMnistData data, int count = 512, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Pick(data.Train, count, seed);
    }

    /// <summary>N class-balanced images of <paramref name="train"/>, which must be training images (a test split is refused).</summary>
    /// <exception cref="QuantizationException">A test split, no images, or too few images of some class.</exception>
    public static LabelledImages Pick(LabelledImages train, int count = 512, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Source.StartsWith("Fashion-MNIST test", StringComparison.Ordinal))
            throw new QuantizationException(
                "These are test images: calibrating on them lets the test set shape the quantized model that it later judges. " +
                "Calibrate on the training split: CalibrationSet.FromTraining(data, count).");
        if (count < 1)
            throw new QuantizationException($"A calibration set needs at least 1 image (asked for {count}); a few hundred, e.g. 512, is usual.");
        if (train.Count == 0)
            throw new QuantizationException($"There are no images to calibrate on in {train.Source}. Load the training split: FashionMnist.Load().Train.");

        int classes = train.ClassNames.Count;
        var byClass = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < train.Count; i++) byClass[train.Labels[i]].Add(i);

        var random = new Random(seed);
        var chosen = new List<int>(count);
        for (int c = 0; c < classes; c++)
        {
            int quota = count / classes + (c < count % classes ? 1 : 0);
            var pool = byClass[c];
            if (pool.Count < quota)
                throw new QuantizationException(
                    $"Class {c} ({train.ClassNames[c]}) has only {pool.Count} images in {train.Source}, but a balanced set of {count} needs {quota}. " +
                    $"Ask for at most {byClass.Min(b => b.Count) * classes} images.");
            // Partial Fisher–Yates: the first `quota` slots become a uniform random choice without replacement.
            for (int j = 0; j < quota; j++)
            {
                int k = random.Next(j, pool.Count);
                (pool[j], pool[k]) = (pool[k], pool[j]);
            }
            chosen.AddRange(pool.Take(quota));
        }
        chosen.Sort(); // file order: classes interleave in every batch, as they do in the file

        int size = train.ImageSize;
        var pixels = new byte[chosen.Count * size];
        var labels = new byte[chosen.Count];
        for (int j = 0; j < chosen.Count; j++)
        {
            train.Image(chosen[j]).CopyTo(pixels.AsSpan(j * size, size));
            labels[j] = train.Labels[chosen[j]];
        }
        return new LabelledImages(pixels, labels, train.Rows, train.Cols, train.ClassNames,
            $"{train.Source}; calibration set: {chosen.Count} class-balanced, seed {seed}");
    }
}
