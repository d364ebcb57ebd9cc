using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Networks;

/// <summary>
/// A small VGG-style net (Simonyan &amp; Zisserman 2015) with BatchNorm after every conv (Ioffe &amp; Szegedy
/// 2015): three stages of two 3×3 convs (32, 64, 128 channels), each stage ending in a 2×2 max pool, then
/// global average pooling and one linear layer. Wide enough that int8 convolutions pay off on a CPU.
/// </summary>
/// <remarks>
/// Convs have no bias: the BatchNorm shift that follows makes it redundant (and BN folding adds one back).
/// Shapes: [N,1,28,28] → stage 1 [N,32,28,28] → pool1 [N,32,14,14] → stage 2 [N,64,14,14] → pool2
/// [N,64,7,7] → stage 3 [N,128,7,7] → pool3 [N,128,3,3] → global avg pool + flatten [N,128] → fc [N,10].
/// Parameters (conv k·k·in·out, BN γ and β = 2·out; running mean/var are buffers, not parameters):
/// stage 1: 9·1·32 + 64 + 9·32·32 + 64 = 9,632; stage 2: 9·32·64 + 128 + 9·64·64 + 128 = 55,552;
/// stage 3: 9·64·128 + 256 + 9·128·128 + 256 = 221,696; fc 128·10+10 = 1,290; total 288,170.
/// Work: about 29 M multiply-accumulates per image (7.5 M + 10.8 M + 10.8 M in the three stages).
/// </remarks>
internal static class VggBn
{
    public const string Name = "vgg-bn";

    public const string Description =
        "VGG-style: 3 stages of 2×(conv 3×3 + BatchNorm + ReLU) with 32/64/128 channels and max pooling, global avg pool, fc 128→10; 288,170 parameters.";

    private static readonly long[] StageWidths = [32, 64, 128];

    public static Sequential Create()
    {
        var features = new List<(string, nn.Module<Tensor, Tensor>)>();
        long inChannels = 1;
        int conv = 0;
        for (int stage = 0; stage < StageWidths.Length; stage++)
        {
            long width = StageWidths[stage];
            for (int repeat = 0; repeat < 2; repeat++)
            {
                conv++;
                features.Add(($"conv{conv}", nn.Conv2d(inChannels, width, kernel_size: 3, padding: 1, bias: false)));
                features.Add(($"bn{conv}", nn.BatchNorm2d(width)));
                features.Add(($"relu{conv}", nn.ReLU()));
                inChannels = width;
            }
            features.Add(($"pool{stage + 1}", nn.MaxPool2d(kernel_size: 2)));
        }

        return nn.Sequential(
            ("features", nn.Sequential(features)),
            ("classifier", nn.Sequential(
                ("pool", nn.AdaptiveAvgPool2d(1)),   // [N,128,3,3] → [N,128,1,1]
                ("flatten", nn.Flatten()),          // → [N,128]
                ("dropout", nn.Dropout(0.3)),
                ("fc", nn.Linear(inChannels, 10)))));
    }
}
