using static TorchSharp.torch;

namespace Talk.Kit.Training.Native;

/// <summary>
/// NCHW tensors in channels-last (NHWC) memory, which TorchSharp 0.107 has no memory-format argument for. libtorch
/// reads the layout from the strides: [N,C,H,W] with strides [H·W·C, 1, W·C, C] is channels-last, and a conv whose
/// input is channels-last writes a channels-last output, so the format flows through the net from its input.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>
    /// The same values as <paramref name="x"/> [N,C,H,W], stored NHWC. Built with as_strided rather than permutes: for
    /// C = 1 (grey images) permute(0,2,3,1).contiguous() is a no-op and permuting back gives NCHW strides again, which
    /// libtorch then treats as contiguous NCHW. Differentiable (gradients reach <paramref name="x"/> in NCHW).
    /// </summary>
    public static Tensor Of(Tensor x)
    {
        if (x.dim() != 4)
            throw new ArgumentException($"Channels-last needs a 4-D [N,C,H,W] tensor, not [{string.Join(",", x.shape)}].", nameof(x));
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        using var nhwc = x.permute(0, 2, 3, 1).contiguous();                     // [N,H,W,C], row-major
        return nhwc.as_strided([n, c, h, w], [h * w * c, 1, w * c, c]);          // the same storage seen as [N,C,H,W]
    }

    /// <summary>True when libtorch will see <paramref name="x"/> as channels-last (the probe's own check of its input).</summary>
    public static bool Is(Tensor x) =>
        x.dim() == 4 && x.stride(1) == 1 && x.stride(3) == x.shape[1] && x.stride(2) == x.shape[1] * x.shape[3];
}
