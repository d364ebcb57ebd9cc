using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Networks;

/// <summary>
/// MobileNetV2's building block (Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks",
/// CVPR 2018): 1×1 expand conv → BN → ReLU6 → 3×3 depthwise conv → BN → ReLU6 → 1×1 linear projection → BN,
/// plus the input added back (y = x + block(x)) when the block keeps the shape.
/// </summary>
/// <remarks>
/// The only custom module of the kit's networks; the ONNX exporter knows it (its <see cref="Block"/>, then an
/// Add of the block's input and output when <see cref="Residual"/>). Shapes: [N,in,H,W] → expand [N,t·in,H,W]
/// → depthwise (stride s) [N,t·in,H/s,W/s] → project [N,out,H/s,W/s].
/// </remarks>
public sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    // Registered by RegisterComponents under its field name, so parameters read "….block.project.weight".
    private readonly Sequential block;

    /// <summary>Wraps <paramref name="block"/>; with <paramref name="residual"/> the output is input + block(input).</summary>
    public InvertedResidual(Sequential block, bool residual) : base(nameof(InvertedResidual))
    {
        this.block = block;
        Residual = residual;
        RegisterComponents();
    }

    /// <summary>The layers between the block's input and the residual Add.</summary>
    public Sequential Block => block;

    /// <summary>True when the input is added to the block's output (stride 1 and as many channels out as in).</summary>
    public bool Residual { get; }

    /// <summary>
    /// The standard block: in → in·<paramref name="expansion"/> → out channels, with a residual exactly when
    /// stride is 1 and <paramref name="inChannels"/> = <paramref name="outChannels"/>. With expansion 1 the
    /// 1×1 expand conv is left out, as in the paper's first block.
    /// </summary>
    public static InvertedResidual Create(long inChannels, long outChannels, long stride, long expansion)
    {
        if (stride is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "MobileNetV2 blocks use stride 1 or 2.");
        if (expansion < 1)
            throw new ArgumentOutOfRangeException(nameof(expansion), expansion, "The expansion factor t must be at least 1.");
        long hidden = inChannels * expansion;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        if (expansion != 1)
        {
            layers.Add(("expand", nn.Conv2d(inChannels, hidden, kernel_size: 1, bias: false)));
            layers.Add(("expand_bn", nn.BatchNorm2d(hidden)));
            layers.Add(("expand_relu", nn.ReLU6()));
        }
        // groups = channels: each channel has its own 3×3 filter (9 weights per channel instead of 9·channels).
        layers.Add(("depthwise", nn.Conv2d(hidden, hidden, kernel_size: 3, stride: stride, padding: 1, groups: hidden, bias: false)));
        layers.Add(("depthwise_bn", nn.BatchNorm2d(hidden)));
        layers.Add(("depthwise_relu", nn.ReLU6()));
        // Linear bottleneck: no activation after the projection (ReLU would destroy information in few channels).
        layers.Add(("project", nn.Conv2d(hidden, outChannels, kernel_size: 1, bias: false)));
        layers.Add(("project_bn", nn.BatchNorm2d(outChannels)));
        return new InvertedResidual(nn.Sequential(layers), residual: stride == 1 && inChannels == outChannels);
    }

    /// <summary>block(x), plus x when <see cref="Residual"/>.</summary>
    public override Tensor forward(Tensor input)
    {
        if (!Residual)
            return block.forward(input);
        using var branch = block.forward(input);
        return input + branch;
    }
}
