using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Networks;

/// <summary>
/// A MobileNetV2-style net (Sandler et al., CVPR 2018) scaled down for 28×28 grey images: a 3×3 stem, five
/// inverted residual blocks (<see cref="InvertedResidual"/>), a 1×1 head conv, global average pooling and one
/// linear layer. Depthwise convs make it cheap in multiply-accumulates but memory-bound on CPUs.
/// </summary>
/// <remarks>
/// Blocks as (in→out, stride s, expansion t): (16→16 s1 t1, residual), (16→24 s2 t6), (24→24 s1 t6, residual),
/// (24→32 s2 t6), (32→32 s1 t6, residual). Shapes: [N,1,28,28] → stem [N,16,28,28] → block2 [N,24,14,14]
/// → block4 [N,32,7,7] → head [N,128,7,7] → pool + flatten [N,128] → fc [N,10].
/// Parameters (convs have no bias; BN has γ and β, 2 per channel):
/// stem 9·16 + 32 = 176;
/// block1 (hidden 16, no expand): depthwise 9·16 + 32, project 16·16 + 32 = 464;
/// block2 (hidden 96): expand 16·96 + 192, depthwise 9·96 + 192, project 96·24 + 48 = 5,136;
/// block3 (hidden 144): 24·144 + 288 + 9·144 + 288 + 144·24 + 48 = 8,832;
/// block4 (hidden 144): 24·144 + 288 + 9·144 + 288 + 144·32 + 64 = 10,000;
/// block5 (hidden 192): 32·192 + 384 + 9·192 + 384 + 192·32 + 64 = 14,848;
/// head 32·128 + 256 = 4,352; fc 128·10 + 10 = 1,290; total 45,098.
/// </remarks>
internal static class MobileNetV2
{
    public const string Name = "mobilenet-v2";

    public const string Description =
        "MobileNetV2-style: stem conv, 5 inverted residual blocks (1×1 expand, 3×3 depthwise, 1×1 project, ReLU6, 3 residual Adds), head conv 1×1 →128, global avg pool, fc; 45,098 parameters.";

    private const long StemWidth = 16;
    private const long HeadWidth = 128;

    // (in, out, stride, expansion t) per block, as in Table 2 of the paper but 5 blocks long.
    private static readonly (long In, long Out, long Stride, long Expansion)[] Blocks =
    [
        (16, 16, 1, 1),
        (16, 24, 2, 6),
        (24, 24, 1, 6),
        (24, 32, 2, 6),
        (32, 32, 1, 6),
    ];

    public static Sequential Create()
    {
        var blocks = Blocks
            .Select((b, i) => ($"block{i + 1}", (nn.Module<Tensor, Tensor>)InvertedResidual.Create(b.In, b.Out, b.Stride, b.Expansion)))
            .ToList();
        long lastWidth = Blocks[^1].Out;

        return nn.Sequential(
            ("stem", nn.Sequential(
                ("conv", nn.Conv2d(1, StemWidth, kernel_size: 3, padding: 1, bias: false)),
                ("bn", nn.BatchNorm2d(StemWidth)),
                ("relu", nn.ReLU6()))),
            ("blocks", nn.Sequential(blocks)),
            ("head", nn.Sequential(
                ("conv", nn.Conv2d(lastWidth, HeadWidth, kernel_size: 1, bias: false)),
                ("bn", nn.BatchNorm2d(HeadWidth)),
                ("relu", nn.ReLU6()))),
            ("classifier", nn.Sequential(
                ("pool", nn.AdaptiveAvgPool2d(1)),  // [N,128,7,7] → [N,128,1,1]
                ("flatten", nn.Flatten()),         // → [N,128]
                ("dropout", nn.Dropout(0.2)),
                ("fc", nn.Linear(HeadWidth, 10)))));
    }
}
