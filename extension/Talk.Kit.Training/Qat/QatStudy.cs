using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Study;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// Quantization-aware training end to end: fine-tune the trained network with fake quantization, export it with the
/// ranges it tracked, place Q/DQ with the kit's static quantizer using those ranges (no calibration), and measure the
/// int8 model in ONNX Runtime against the fp32 network exactly as post-training quantization is measured.
/// </summary>
public static class QatStudy
{
    /// <returns>The study (as for post-training quantization) and the QAT run behind it, whose simulated accuracy (TorchSharp,
    /// fake quantization, on the same test images) can be set beside ONNX Runtime's.</returns>
    public static (QuantizationStudy Study, QatResult Qat) Run(ZooModel trained, QuantizationData data, QatOptions? options = null, QuantizationRequest? request = null,
        IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new QatOptions();
        var training = Runtime.ProgressRelay.Map(progress, (TrainingProgress p) => new QuantizationProgress($"quantization-aware training, epoch {p.Epoch}/{p.Epochs}, loss {p.Loss:0.000}", p.Batch, p.Batches));
        request ??= new QuantizationRequest();
        var held = data.Test.Take(Math.Min(request.EvaluationImages, data.Test.Count));
        var qat = QuantizationAwareTraining.Run(trained, data.Train, options, held, training, cancellationToken);

        progress?.Report(new("place Q/DQ with the trained ranges", 0, 0));
        var result = StaticQuantizer.Quantize(qat.Model, qat.Ranges,
            new StaticQuantizationOptions { PerChannel = qat.PerChannel, WeightBits = qat.WeightBits });
        var reference = QuantizationPreparation.Prepare(trained.Model).Model;
        string method = $"QAT: {qat.Epochs.Count} epoch(s) of fake-quantized fine-tuning ({(qat.PerChannel ? "per-channel" : "per-tensor")} {qat.WeightType} weights, " +
                        $"uint8 activations with tracked ranges), then static QDQ with those ranges; TorchSharp's simulated accuracy {qat.SimulatedAccuracy:P2}";
        return (QuantizationStudy.Of(trained.Model, reference, result, method, qat.Ranges, data, request, progress, cancellationToken), qat);
    }
}
