using System.Globalization;
using System.Text.Json.Serialization;

namespace Talk.Kit.Runtime.Numerics;

/// <summary>
/// One 2-D convolution to check: input [Batch, InChannels, Height, Width] (NCHW), weights
/// [OutChannels, InChannels/Groups, Kernel, Kernel], square stride and zero padding, no bias.
/// </summary>
public sealed record ConvCase(int Batch, int InChannels, int OutChannels, int Kernel, int Stride, int Padding, int Groups, int Height, int Width)
{
    /// <summary>Output height: ⌊(H + 2p − k) / s⌋ + 1.</summary>
    [JsonIgnore] public int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>Output width: ⌊(W + 2p − k) / s⌋ + 1.</summary>
    [JsonIgnore] public int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>Input channels each filter sees (C_in / groups).</summary>
    [JsonIgnore] public int GroupInChannels => InChannels / Groups;

    /// <summary>Filters per group (C_out / groups).</summary>
    [JsonIgnore] public int GroupOutChannels => OutChannels / Groups;

    [JsonIgnore] public long[] InputShape => [Batch, InChannels, Height, Width];
    [JsonIgnore] public long[] WeightShape => [OutChannels, GroupInChannels, Kernel, Kernel];
    [JsonIgnore] public long[] OutputShape => [Batch, OutChannels, OutHeight, OutWidth];

    [JsonIgnore] public int InputLength => Batch * InChannels * Height * Width;
    [JsonIgnore] public int WeightLength => OutChannels * GroupInChannels * Kernel * Kernel;
    [JsonIgnore] public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>True for a depthwise conv (one filter per input channel).</summary>
    [JsonIgnore] public bool IsDepthwise => Groups > 1 && Groups == InChannels && OutChannels == InChannels;

    /// <summary>E.g. "3×3 stride 1, 61→16 channels, batch 8, 10×10".</summary>
    [JsonIgnore] public string Label => string.Create(CultureInfo.InvariantCulture,
        $"{Kernel}×{Kernel}{(IsDepthwise ? " depthwise" : Groups > 1 ? $" groups {Groups}" : "")} stride {Stride}, {InChannels}→{OutChannels} channels, batch {Batch}, {Height}×{Width}");

    /// <summary>Throws <see cref="ArgumentException"/> for a shape no convolution has.</summary>
    public void Validate()
    {
        if (Batch < 1 || InChannels < 1 || OutChannels < 1 || Kernel < 1 || Stride < 1 || Padding < 0 || Groups < 1 || Height < 1 || Width < 1)
            throw new ArgumentException($"Conv case {this} needs positive sizes (padding ≥ 0).");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw new ArgumentException($"Conv case {Label}: groups ({Groups}) must divide both channel counts.");
        if (OutHeight < 1 || OutWidth < 1)
            throw new ArgumentException($"Conv case {Label}: the {Kernel}×{Kernel} kernel does not fit the padded {Height}×{Width} input.");
    }

    /// <summary>
    /// The probe's cases. The input-channel counts straddle the SIMD channel blocks oneDNN pads to (8 on AVX2, 16 on
    /// AVX-512): multiples (16, 64, 144), counts just off them (20, 24, 61: the 61 of vgg-bn with 3 filters pruned) and
    /// one under a block (6, LeNet-5's conv2). Kernels: 3×3 and 5×5, stride 1 and 2, 1×1 and depthwise (MobileNetV2's
    /// blocks). Batch 8, because libtorch sends batch-1 3×3 convs down another path; one batch-1 5×5 case, which does
    /// not. Found on an AMD EPYC with AVX-512 (issue 12): 3×3 and 5×5 forward with 20/24/61 input channels off by
    /// 10–26%, and the input gradient of a stride-2 conv with 144 input channels off by 20–30%.
    /// </summary>
    public static IReadOnlyList<ConvCase> Standard { get; } =
    [
        new(8, 6, 16, 3, 1, 1, 1, 10, 10),
        new(8, 16, 16, 3, 1, 1, 1, 10, 10),
        new(8, 20, 16, 3, 1, 1, 1, 10, 10),
        new(8, 24, 16, 3, 1, 1, 1, 10, 10),
        new(8, 61, 16, 3, 1, 1, 1, 10, 10),
        new(8, 64, 16, 3, 1, 1, 1, 10, 10),
        new(1, 61, 16, 5, 1, 2, 1, 10, 10),
        new(8, 20, 16, 5, 1, 2, 1, 10, 10),
        new(8, 24, 16, 3, 2, 1, 1, 10, 10),
        new(8, 144, 16, 3, 2, 1, 1, 10, 10),
        new(8, 24, 144, 1, 1, 0, 1, 10, 10),
        new(8, 144, 24, 1, 1, 0, 1, 10, 10),
        new(8, 144, 144, 3, 1, 1, 144, 10, 10),
        new(8, 24, 24, 3, 2, 1, 24, 10, 10),
    ];
}
