using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>
/// The images a quantization study uses: calibration images from the training split, test images for accuracy and
/// agreement (disjoint by construction), and the preprocessing model for ImageNet-sized nets (ResNet-18).
/// </summary>
public sealed record QuantizationData(LabelledImages Train, LabelledImages Test, Model? Preprocess = null)
{
    /// <summary>Fashion-MNIST as found by the kit (full set where installed, else the shipped subset).</summary>
    public static QuantizationData FashionMnist(FashionMnistData data, Model? preprocess = null) => new(data.Train, data.Test, preprocess);

    /// <summary>Calibration batches: <paramref name="count"/> class-balanced training images (seeded), shaped for the model.</summary>
    public IEnumerable<(float[] Data, long[] Shape)> CalibrationBatches(Model model, int count) =>
        ImageInputs.For(model, Calibration.CalibrationSet.Pick(Train, count), count, batch: 64, Preprocess);

    /// <summary>The first <paramref name="count"/> test images, shaped for the model (for agreement and feature cosine).</summary>
    public IEnumerable<(float[] Data, long[] Shape)> TestBatches(Model model, int count) =>
        ImageInputs.For(model, Test, count, batch: 64, Preprocess);

    /// <summary>True when the model maps Fashion-MNIST images to one score per class, so accuracy can be measured.</summary>
    public bool CanMeasureAccuracy(Model model) =>
        Preprocess is null && model.Outputs.Count == 1 && model.Outputs[0].Dims is { Count: 2 } d && d[1].Value == Test.ClassNames.Count;
}
