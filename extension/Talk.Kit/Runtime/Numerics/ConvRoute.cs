namespace Talk.Kit.Runtime.Numerics;

/// <summary>
/// The ways a library's fp32 convolution can be reached on a CPU, in the order the probe prefers them. Names are the
/// kit's; what each means for libtorch is in <see cref="ConvRoutes.Describe"/>.
/// </summary>
public enum ConvRoute
{
    /// <summary>The library's default: for libtorch, oneDNN with NCHW tensors reordered into channel-blocked layouts
    /// (nChw16c on AVX-512, nChw8c on AVX2), the channel count padded up to a multiple of the block.</summary>
    Default,
    /// <summary>Activations in channels-last (NHWC) memory: libtorch still calls oneDNN, but with NHWC tensors, no
    /// channel blocks and no padding.</summary>
    ChannelsLast,
    /// <summary>oneDNN switched off for the whole process: libtorch's own im2col + GEMM convolution.</summary>
    WithoutOneDnn,
}

/// <summary>Words for <see cref="ConvRoute"/>.</summary>
public static class ConvRoutes
{
    /// <summary>One phrase per route, for reports.</summary>
    public static string Describe(this ConvRoute route) => route switch
    {
        ConvRoute.Default => "oneDNN, channel-blocked layout (libtorch's default)",
        ConvRoute.ChannelsLast => "oneDNN, channels-last (NHWC) activations",
        ConvRoute.WithoutOneDnn => "oneDNN off (libtorch's im2col + GEMM)",
        _ => route.ToString(),
    };
}
