namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>A 2-D convolution's stride, zero padding (all four sides) and dilation, the same along height and width; one group.</summary>
public sealed record ConvGeometry(int Stride = 1, int Pad = 0, int Dilation = 1)
{
    public static ConvGeometry Default { get; } = new();

    /// <summary>Output side: ⌊(in + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1 (ONNX Conv, NOTSET padding).</summary>
    public int OutputSize(long input, long kernel) => (int)((input + 2 * Pad - Dilation * (kernel - 1) - 1) / Stride + 1);

    /// <summary>The ONNX Conv / QLinearConv attributes.</summary>
    internal Dictionary<string, object> Attributes(long kh, long kw) => new()
    {
        ["kernel_shape"] = new long[] { kh, kw },
        ["strides"] = new long[] { Stride, Stride },
        ["pads"] = new long[] { Pad, Pad, Pad, Pad },
        ["dilations"] = new long[] { Dilation, Dilation },
    };
}
