using Talk.Kit.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// Independent copies of the leaf modules the catalogue's plain networks use, so fine-tuning a copy never moves the
/// weights of the network it came from (TorchSharp has no deep copy of a module).
/// </summary>
internal static class ModuleCopy
{
    /// <summary>A new module with the same settings and (copied) weights.</summary>
    public static nn.Module<Tensor, Tensor> Of(nn.Module<Tensor, Tensor> module, string path) => module switch
    {
        Conv2d conv => Conv(conv, withBias: conv.bias is not null),
        Linear linear => Linear(linear),
        ReLU => nn.ReLU(),
        ReLU6 => nn.ReLU6(),
        MaxPool2d p => nn.MaxPool2d(p.kernel_size, p.stride ?? p.kernel_size, p.padding ?? [0, 0], p.dilation ?? [1, 1], p.ceil_mode),
        AvgPool2d p when p.divisor_override is null => nn.AvgPool2d(p.kernel_size, p.stride ?? p.kernel_size, p.padding ?? [0, 0], p.ceil_mode, p.count_include_pad),
        AdaptiveAvgPool2d p => nn.AdaptiveAvgPool2d(p.output_size),
        Flatten f => nn.Flatten(f.start_dim, f.end_dim),
        Dropout d => nn.Dropout(d.p),
        _ => throw new NotSupportedException($"{ModulePath.Label(path)} ({module.GetType().Name}) cannot be copied for quantization-aware training."),
    };

    /// <summary>A conv with the same geometry and weights; <paramref name="withBias"/> adds a bias (zero unless the original has one).</summary>
    public static Conv2d Conv(Conv2d conv, bool withBias)
    {
        if (conv.padding_type == TorchSharp.Padding.Same)
            throw new NotSupportedException("Convs with padding 'same' are not copied: give the padding explicitly.");
        long[] k = conv.kernel_size, s = conv.stride, p = conv.padding ?? [0, 0], d = conv.dilation;
        var copy = nn.Conv2d(conv.in_channels, conv.out_channels, (k[0], k[1]), stride: (s[0], s[1]), padding: (p[0], p[1]),
            dilation: (d[0], d[1]), padding_mode: conv.padding_mode, groups: conv.groups, bias: withBias);
        using var noGrad = no_grad();
        copy.weight!.copy_(conv.weight!);
        if (copy.bias is { } bias)
        {
            if (conv.bias is { } original) bias.copy_(original);
            else bias.zero_();
        }
        return copy;
    }

    private static Linear Linear(Linear linear)
    {
        var copy = nn.Linear(linear.in_features, linear.out_features, hasBias: linear.bias is not null);
        using var noGrad = no_grad();
        copy.weight!.copy_(linear.weight!);
        if (linear.bias is { } bias) copy.bias!.copy_(bias);
        return copy;
    }
}
