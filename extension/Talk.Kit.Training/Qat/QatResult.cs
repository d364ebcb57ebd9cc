using Talk.Kit.Compression.Quantization;
using Talk.Kit.Models;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// What quantization-aware training hands to the static QDQ quantizer: the fine-tuned float model (BatchNorm already
/// folded), the activation ranges it was trained with, keyed by that model's value names, and the weight grid.
/// The quantizer recomputes weight scales from the weights (absmax per channel / QMax), which is the rule training
/// used, so the integer weights it writes are the ones training saw.
/// </summary>
/// <param name="Model">Fine-tuned fp32 ONNX model (opset 17, dynamic batch), lineage "… → qat".</param>
/// <param name="Ranges">Range of every value of <paramref name="Model"/>'s graph (input, node outputs, output).</param>
/// <param name="WeightBits">Bits of the weight grid (the quantizer's WeightBits).</param>
/// <param name="PerChannel">Per-channel weight scales (the quantizer's PerChannel).</param>
/// <param name="Options">The run's options.</param>
/// <param name="Epochs">Loss and training accuracy (with fake quantization) per epoch.</param>
public sealed record QatResult(Model Model, ActivationRanges Ranges, int WeightBits, bool PerChannel, QatOptions Options, IReadOnlyList<EpochResult> Epochs)
{
    /// <summary>
    /// Top-1 accuracy of the fake-quantized net in TorchSharp on held-out images, when they were given: what the
    /// quantized model should reach once the static quantizer has turned it into QDQ (ONNX Runtime then judges).
    /// </summary>
    public double? SimulatedAccuracy { get; init; }

    /// <summary>The weight grid, e.g. int4.</summary>
    public QuantType WeightType => QuantType.SignedBits(WeightBits);

    /// <summary>E.g. "lenet-5-qat4: 4-bit per-channel weights, 14 ranges (QAT …), 1 epoch".</summary>
    public override string ToString() =>
        $"{Model.Name}: {WeightBits}-bit {(PerChannel ? "per-channel" : "per-tensor")} weights, {Ranges.Ranges.Count} ranges ({Ranges.Method}), {Epochs.Count} epoch(s)" +
        (SimulatedAccuracy is { } a ? $", simulated accuracy {a:P2}" : "");
}
