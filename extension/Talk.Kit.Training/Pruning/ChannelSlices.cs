using Talk.Kit.Training.Qat;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>New, smaller layers holding a subset of another layer's channels (weights copied with index_select).</summary>
internal static class ChannelSlices
{
    /// <summary>A conv keeping output channels <paramref name="outputs"/> and input channels <paramref name="inputs"/> (null = all).</summary>
    public static Conv2d Conv(Conv2d conv, long[]? outputs, long[]? inputs)
    {
        if (conv.groups != 1)
            throw new NotSupportedException($"Grouped or depthwise convs (groups = {conv.groups}) tie input to output channels; channel pruning here handles groups = 1.");
        var full = ModuleCopy.Conv(conv, withBias: conv.bias is not null); // geometry and padding checks live there
        long outCount = outputs?.Length ?? conv.out_channels, inCount = inputs?.Length ?? conv.in_channels;
        long[] k = conv.kernel_size, s = conv.stride, p = conv.padding ?? [0, 0], d = conv.dilation;
        var sliced = nn.Conv2d(inCount, outCount, (k[0], k[1]), stride: (s[0], s[1]), padding: (p[0], p[1]), dilation: (d[0], d[1]),
            padding_mode: conv.padding_mode, bias: conv.bias is not null);
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            Tensor w = full.weight!;                                                // [out,in,kH,kW]
            if (outputs is not null) w = w.index_select(0, tensor(outputs));
            if (inputs is not null) w = w.index_select(1, tensor(inputs));
            sliced.weight!.copy_(w);
            if (full.bias is { } b) sliced.bias!.copy_(outputs is null ? b : b.index_select(0, tensor(outputs)));
        }
        full.Dispose();
        return sliced;
    }

    /// <summary>A BatchNorm2d keeping <paramref name="channels"/> (γ, β, running mean and variance).</summary>
    public static BatchNorm2d BatchNorm(BatchNorm2d bn, long[] channels)
    {
        var sliced = nn.BatchNorm2d(channels.Length, bn.eps, bn.momentum ?? 0.1, affine: bn.weight is not null, track_running_stats: bn.running_mean is not null);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var index = tensor(channels);
        if (bn.weight is { } g) sliced.weight!.copy_(g.index_select(0, index));
        if (bn.bias is { } b) sliced.bias!.copy_(b.index_select(0, index));
        if (bn.running_mean is { } m) sliced.running_mean!.copy_(m.index_select(0, index));
        if (bn.running_var is { } v) sliced.running_var!.copy_(v.index_select(0, index));
        return sliced;
    }

    /// <summary>A linear layer keeping input features <paramref name="inputs"/> (columns of W [out,in]).</summary>
    public static Linear Linear(Linear linear, long[] inputs)
    {
        var sliced = nn.Linear(inputs.Length, linear.out_features, hasBias: linear.bias is not null);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        sliced.weight!.copy_(linear.weight!.index_select(1, tensor(inputs)));
        if (linear.bias is { } b) sliced.bias!.copy_(b);
        return sliced;
    }
}
