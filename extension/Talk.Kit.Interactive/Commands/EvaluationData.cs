using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Training;

namespace Talk.Kit.Interactive.Commands;

/// <summary>The images a command judges a model on: Fashion-MNIST, through ResNet-18's preprocessing for ImageNet-shaped inputs.</summary>
internal static class EvaluationData
{
    /// <summary>A model that takes [N, 3, H, W] is an ImageNet net (ResNet-18): it gets its preprocessing model.</summary>
    public static QuantizationData For(Model model)
    {
        bool imageNet = model.Inputs[0].Dims is { Count: 4 } d && d[1].Value == 3;
        return QuantizationData.FashionMnist(FashionMnist.Load(), imageNet ? PretrainedResNet18.LoadPreprocess() : null);
    }
}
