using System.Diagnostics;
using Talk.Kit.Data;
using Talk.Kit.Runtime;
using Talk.Kit.Training.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Talk.Kit.Training;

/// <summary>
/// Trains a classifier on labelled images with Adam and cross-entropy, in TorchSharp, on the CPU's physical cores.
/// Accuracy on held-out data is not measured here: export the net and ask the kit's one evaluator (ONNX Runtime).
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="net"/> in place. Cancellation stops at the next batch and throws <see cref="OperationCanceledException"/>.</summary>
    /// <param name="afterStep">Called after every optimizer step with the 1-based step number over all epochs, while the
    /// step's gradients are still on the parameters (zeroed only before the next step). Pruning re-applies its masks here,
    /// centroid fine-tuning moves its shared weights. It is not part of the options: it does not change the cache key.</param>
    public static IReadOnlyList<EpochResult> Train(nn.Module<Tensor, Tensor> net, LabelledImages train, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, Action<int>? afterStep = null)
    {
        options.Validate();
        ConvNumerics.Ensure(); // libstdc++ fix, then libtorch's convs checked once per machine (issue 12)
        torch.set_num_threads(MachineInfo.Current.PhysicalCores);
        int count = Math.Min(options.TrainImages ?? train.Count, train.Count);
        int batches = (count + options.BatchSize - 1) / options.BatchSize;
        var shuffle = new Random(options.Seed);
        var order = Enumerable.Range(0, count).ToArray();
        var pixels = new float[options.BatchSize * train.Rows * train.Cols];
        var labels = new long[options.BatchSize];
        var epochs = new List<EpochResult>();
        int step = 0;

        using var optimizer = optim.Adam(net.parameters(), options.LearningRate);
        net.train();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            shuffle.Shuffle(order);
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            long correct = 0, seen = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * options.BatchSize, n = Math.Min(options.BatchSize, count - start);
                Gather(train, order.AsSpan(start, n), pixels, labels);
                using var scope = NewDisposeScope();
                var x = ConvNumerics.Images(torch.tensor(pixels.AsSpan(0, n * train.Rows * train.Cols).ToArray(), [n, 1, train.Rows, train.Cols]));
                var y = torch.tensor(labels.AsSpan(0, n).ToArray(), [n]);
                optimizer.zero_grad();
                var logits = net.call(x);                          // (n, classes)
                var loss = nn.functional.cross_entropy(logits, y);
                loss.backward();
                StepWithoutCollection(optimizer);
                afterStep?.Invoke(++step);
                lossSum += loss.item<float>() * n;
                correct += logits.argmax(1).eq(y).sum().item<long>();
                seen += n;
                if (progress is not null && (b % 20 == 19 || b == batches - 1))
                    progress.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, seen / clock.Elapsed.TotalSeconds));
            }
            epochs.Add(new EpochResult(epoch, lossSum / seen, (double)correct / seen, clock.Elapsed.TotalSeconds, seen / clock.Elapsed.TotalSeconds));
        }
        net.eval();
        return epochs;
    }

    /// <summary>
    /// optimizer.step() with no garbage collection inside it. TorchSharp's Adam passes implicitly converted Scalars
    /// (α, β terms) to native code by handle and leaves them to the finalizer (dotnet/TorchSharp PRs #1434, #1496); a
    /// collection in the middle of the native call can free one in use, and libtorch then fails in Scalar::toDouble with
    /// "Expected false to be true". Seen in centroid fine-tuning, whose 1 MB gradient copies per step collect often;
    /// a 16 MB no-GC region (the step allocates a few KB of wrappers) removes the window. The region is process-wide and
    /// cannot nest, so concurrent trainings (two notebook cells, parallel tests) take turns for the step.
    /// </summary>
    private static void StepWithoutCollection(optim.Optimizer optimizer)
    {
        lock (NoCollectionGate)
            StepInNoGCRegion(optimizer);
    }

    private static readonly Lock NoCollectionGate = new();

    private static void StepInNoGCRegion(optim.Optimizer optimizer)
    {
        bool region = GC.TryStartNoGCRegion(16 * 1024 * 1024);
        try
        {
            optimizer.step();
        }
        finally
        {
            // The region ends by itself if the step allocated more than it allowed; ending it again would throw.
            if (region && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
    }

    /// <summary>Copies the chosen images (normalized, NCHW) and labels into the batch buffers.</summary>
    private static void Gather(LabelledImages data, ReadOnlySpan<int> indices, float[] pixels, long[] labels)
    {
        int size = data.Rows * data.Cols;
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            Normalization.Normalize(data.Pixels.AsSpan(k * size, size), pixels.AsSpan(i * size, size));
            labels[i] = data.Labels[k];
        }
    }
}
