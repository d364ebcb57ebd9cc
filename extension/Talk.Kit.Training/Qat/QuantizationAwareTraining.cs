using System.Globalization;
using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Training.Export;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// Quantization-aware fine-tuning (Jacob et al. 2018, "Quantization and Training of Neural Networks for Efficient
/// Integer-Arithmetic-Only Inference"): start from a trained float net, fold BatchNorm, fine-tune with weights and
/// activations fake-quantized, export the float weights and the ranges for the static QDQ quantizer.
/// </summary>
/// <remarks>
/// The recipe: (1) copy the net with BatchNorm folded into convs; (2) set activation ranges by min/max over a few
/// training images (the post-training starting point); (3) fine-tune with Adam at a small learning rate, ranges
/// following by moving average, frozen for the last quarter; (4) export the float net (the exporter checks it against
/// TorchSharp in ONNX Runtime) and key the ranges by its value names.
/// </remarks>
public static class QuantizationAwareTraining
{
    /// <summary>Fine-tunes a trained-here zoo net (lenet-5, vgg-bn, lenet-300-100) for <see cref="QatOptions.WeightBits"/>-bit weights.</summary>
    /// <param name="trained">From <c>Zoo.Get</c>; its cached TorchSharp weights are the starting point (they are not changed).</param>
    /// <param name="train">Training images (e.g. <c>FashionMnist.Load().Train</c>).</param>
    /// <param name="options">Run options; default: 4-bit per-channel, 1 epoch, learning rate 1e-4.</param>
    /// <param name="held">Held-out images to measure the fake-quantized net's accuracy on (in TorchSharp); null: not measured.</param>
    /// <param name="progress">Live progress, as <see cref="Trainer.Train"/> reports it.</param>
    /// <param name="cancellationToken">Stops at the next batch with <see cref="OperationCanceledException"/>.</param>
    public static QatResult Run(ZooModel trained, LabelledImages train, QatOptions? options = null, LabelledImages? held = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new QatOptions();
        options.Validate();
        using var network = Zoo.LoadNetwork(trained);
        using var qat = Prepare(network, options);
        qat.Calibrate(train, options.CalibrationImages);
        var epochs = FineTune(qat, train, options, progress, cancellationToken);
        var result = Export(qat, trained.Model, options, epochs, [1, train.Rows, train.Cols]);
        return held is null ? result : result with { SimulatedAccuracy = TorchAccuracy.Of(qat, held) };
    }

    /// <summary>
    /// A fake-quantized copy of <paramref name="trained"/> (BatchNorm folded), ranges not yet set: call
    /// <see cref="FakeQuantNetwork.Calibrate"/>. The caller owns it; <paramref name="trained"/> is not changed.
    /// </summary>
    public static FakeQuantNetwork Prepare(nn.Module<Tensor, Tensor> trained, QatOptions options)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(options);
        var folded = BatchNormFolding.FoldedCopy(trained);
        try
        {
            return new FakeQuantNetwork(folded, options.WeightType, options.PerChannel, options.RangeMomentum);
        }
        catch
        {
            folded.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Post-training quantization as fake quantization, the baseline QAT must beat: the trained weights on the n-bit
    /// grid, activation ranges from min/max over the first <see cref="QatOptions.CalibrationImages"/> images of <paramref name="calibration"/>, frozen. The caller owns it.
    /// </summary>
    public static FakeQuantNetwork PostTraining(nn.Module<Tensor, Tensor> trained, QatOptions options, LabelledImages calibration)
    {
        var ptq = Prepare(trained, options);
        ptq.Calibrate(calibration, options.CalibrationImages);
        ptq.FreezeRanges();
        return ptq;
    }

    /// <summary>Trains a calibrated <paramref name="qat"/> in place (ranges move until <see cref="QatOptions.FreezeRangesAt"/>, then freeze).</summary>
    public static IReadOnlyList<EpochResult> FineTune(FakeQuantNetwork qat, LabelledImages train, QatOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(qat);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int images = Math.Min(options.TrainImages ?? train.Count, train.Count);
        int steps = options.Epochs * ((images + options.BatchSize - 1) / options.BatchSize);
        qat.FreezeRangesAfter((int)Math.Round(steps * options.FreezeRangesAt));
        var epochs = Trainer.Train(qat, train, options.Training, progress, cancellationToken);
        qat.FreezeRanges(); // FreezeRangesAt = 1 also ends with fixed ranges: those are the exported ones
        return epochs;
    }

    /// <summary>Exports the fine-tuned float net and pairs it with the ranges it was trained with.</summary>
    internal static QatResult Export(FakeQuantNetwork qat, Model source, QatOptions options, IReadOnlyList<EpochResult> epochs, long[] inputShape)
    {
        byte[] onnx = OnnxExporter.Export(qat.Network, source.Name, inputShape);
        var step = LineageStep.Now("qat", new Dictionary<string, string>
        {
            ["weight-bits"] = options.WeightBits.ToString(CultureInfo.InvariantCulture),
            ["per-channel"] = options.PerChannel ? "yes" : "no",
            ["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture),
            ["learning-rate"] = options.LearningRate.ToString(CultureInfo.InvariantCulture),
            ["batchnorm"] = "folded into conv",
        });
        var model = source.With(onnx, step, $"{source.Name}-qat{options.WeightBits}");
        string method = $"QAT: min/max over {options.CalibrationImages} images, then moving average (m = {options.RangeMomentum.ToString(CultureInfo.InvariantCulture)}), " +
            $"frozen after {options.FreezeRangesAt.ToString("0%", CultureInfo.InvariantCulture)} of the steps";
        var ranges = qat.ToActivationRanges(method);
        RequireGraphValues(model, ranges.Ranges.Keys);
        return new QatResult(model, ranges, options.WeightBits, options.PerChannel, options, epochs);
    }

    /// <summary>Guards the contract: every range names a value of the exported graph (its input, a node output).</summary>
    private static void RequireGraphValues(Model model, IEnumerable<string> names)
    {
        var values = model.Nodes().SelectMany(n => n.Outputs).Concat(model.Inputs.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var missing = names.Where(n => !values.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"Ranges name values that the export of '{model.Name}' does not have: {string.Join(", ", missing)}. The QAT plan and the exporter disagree on names.");
    }
}
