using System.Globalization;
using Talk.Kit.Data;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// One weight grid, three ways, measured on the same held-out images in TorchSharp: the float net, the trained weights
/// put on the grid with calibrated activation ranges (post-training quantization, simulated), and quantization-aware
/// fine-tuning (simulated). The question it answers: at how few bits does PTQ collapse, and does QAT win it back?
/// </summary>
/// <param name="Network">Zoo name, e.g. "lenet-5".</param>
/// <param name="Fp32">Accuracy of the float net.</param>
/// <param name="Ptq">Accuracy after post-training quantization (fake-quantized, same grids and calibration).</param>
/// <param name="Qat">Accuracy after quantization-aware fine-tuning (fake-quantized).</param>
/// <param name="Result">The QAT run, ready for the static quantizer.</param>
public sealed record QatComparison(string Network, int WeightBits, bool PerChannel, double Fp32, double Ptq, double Qat, QatResult Result)
{
    /// <summary>Measures fp32, PTQ and QAT for <paramref name="options"/> (QAT trains on <paramref name="data"/>.Train, all three are judged on its test split).</summary>
    public static QatComparison Measure(ZooModel trained, FashionMnistData data, QatOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        double fp32, ptq;
        using (var net = Zoo.LoadNetwork(trained))
        {
            fp32 = TorchAccuracy.Of(net, data.Test);
            using var post = QuantizationAwareTraining.PostTraining(net, options, data.Train);
            ptq = TorchAccuracy.Of(post, data.Test);
        }
        var result = QuantizationAwareTraining.Run(trained, data.Train, options, data.Test, progress, cancellationToken);
        return new QatComparison(trained.Entry.Name, options.WeightBits, options.PerChannel, fp32, ptq, result.SimulatedAccuracy!.Value, result);
    }

    /// <summary>E.g. "lenet-5, 2-bit per-channel weights, uint8 activations: fp32 89.50% · PTQ 26.47% · QAT 80.12%".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Network}, {WeightBits}-bit {(PerChannel ? "per-channel" : "per-tensor")} weights, uint8 activations: " +
        $"fp32 {Fp32:P2} · PTQ {Ptq:P2} · QAT {Qat:P2}");
}
