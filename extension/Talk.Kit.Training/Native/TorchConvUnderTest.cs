using Talk.Kit.Runtime.Numerics;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Native;

/// <summary>libtorch's fp32 conv2d through TorchSharp, along the routes <see cref="ConvNumericsProbe"/> judges.</summary>
internal sealed class TorchConvUnderTest : IConvUnderTest
{
    public string Library => $"libtorch {TorchVersions.LibTorch} (TorchSharp {TorchVersions.TorchSharp})";

    /// <summary>All three where libtorch's oneDNN switch can be reached; without it, the two layouts.</summary>
    public IReadOnlyList<ConvRoute> Routes => OneDnnSwitch.Enabled is null
        ? [ConvRoute.Default, ConvRoute.ChannelsLast]
        : [ConvRoute.Default, ConvRoute.ChannelsLast, ConvRoute.WithoutOneDnn];

    public ConvOutputs Run(ConvCase c, ConvRoute route, float[] input, float[] weight, float[] outputGradient)
    {
        bool? oneDnn = OneDnnSwitch.Enabled;
        if (route == ConvRoute.WithoutOneDnn && !OneDnnSwitch.TrySet(false))
            throw new NotSupportedException("libtorch's oneDNN switch cannot be reached in this build.");
        if (route != ConvRoute.WithoutOneDnn && oneDnn == false) OneDnnSwitch.TrySet(true); // judge oneDNN's routes even after the kit switched it off
        try
        {
            using var scope = NewDisposeScope();
            var x = tensor(input, c.InputShape).requires_grad_(true);
            var w = tensor(weight, c.WeightShape).requires_grad_(true);
            var fed = route == ConvRoute.ChannelsLast ? ChannelsLast.Of(x) : x;
            var y = nn.functional.conv2d(fed, w, strides: [c.Stride, c.Stride], padding: [c.Padding, c.Padding], groups: c.Groups);
            (y * tensor(outputGradient, c.OutputShape)).sum().backward();          // L = Σ y·g, so ∂L/∂y = g
            return new ConvOutputs(Values(y), Values(w.grad!), Values(x.grad!));
        }
        finally
        {
            if (oneDnn is bool was) OneDnnSwitch.TrySet(was);
        }
    }

    // contiguous() puts channels-last results back in NCHW order before reading them out.
    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();
}
