using Talk.Kit.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// Folds every BatchNorm2d into the Conv2d before it, in a copy of the network, so that quantization-aware
/// training fake-quantizes the weights that will really be quantized (Jacob et al. 2018, §3.2).
/// </summary>
/// <remarks>
/// Before: y = γ·(W∗x + b − μ)/√(σ²+ε) + β (BN in eval, running statistics μ, σ²). After: y = W′∗x + b′ with,
/// per output channel c, g_c = γ_c/√(σ²_c+ε), W′_c = g_c·W_c and b′_c = (b_c − μ_c)·g_c + β_c (b = 0 when the conv has
/// no bias). The folded net equals the original in eval mode; in training mode it no longer normalizes by batch
/// statistics, which is what fine-tuning a deployed net wants (its statistics are frozen). Computed in float64.
/// The kit's fusion pass does the same fold on the ONNX graph, so exporting the folded net and folding the exported
/// net give the same Conv weights up to float32 rounding.
/// </remarks>
public static class BatchNormFolding
{
    /// <summary>
    /// A new network with the same layers and weights, each Conv2d followed by a BatchNorm2d replaced by one
    /// Conv2d with bias. The input is not changed; the caller owns (and disposes) the copy.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer cannot be copied, or a BatchNorm2d does not follow a Conv2d.</exception>
    public static Sequential FoldedCopy(nn.Module<Tensor, Tensor> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is not Sequential root)
            throw new NotSupportedException($"Folding copies a tree of Sequentials, not {network.GetType().Name}.");
        using var noGrad = no_grad();
        var copy = Copy(root, "");
        copy.train(network.training);
        return copy;
    }

    private static Sequential Copy(Sequential sequential, string path)
    {
        var children = sequential.named_children().Select(c => (c.name, Module: (nn.Module<Tensor, Tensor>)c.module)).ToList();
        var copies = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < children.Count; i++)
        {
            var (name, module) = children[i];
            string childPath = ModulePath.Join(path, name);
            if (module is Conv2d conv && i + 1 < children.Count && children[i + 1].Module is BatchNorm2d bn)
            {
                copies.Add((name, Fold(conv, bn, childPath)));
                i++; // the BatchNorm is now inside the conv
            }
            else if (module is BatchNorm2d)
                throw new NotSupportedException($"'{childPath}' is a BatchNorm2d that does not follow a Conv2d in the same Sequential; only Conv+BN pairs fold.");
            else
                copies.Add((name, module is Sequential inner ? Copy(inner, childPath) : ModuleCopy.Of(module, childPath)));
        }
        return nn.Sequential(copies);
    }

    private static Conv2d Fold(Conv2d conv, BatchNorm2d bn, string path)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new NotSupportedException($"The BatchNorm after '{path}' has no running statistics, so it has nothing to fold.");
        var folded = ModuleCopy.Conv(conv, withBias: true);
        using var scope = NewDisposeScope();
        var f64 = ScalarType.Float64;
        var gamma = bn.weight is { } w ? w.to_type(f64) : ones(bn.num_features, f64);
        var beta = bn.bias is { } b ? b.to_type(f64) : zeros(bn.num_features, f64);
        var g = gamma / (bn.running_var.to_type(f64) + bn.eps).sqrt();            // [out]
        var bias = conv.bias is { } cb ? cb.to_type(f64) : zeros(bn.num_features, f64);
        folded.weight!.copy_((conv.weight!.to_type(f64) * g.reshape(-1, 1, 1, 1)).to_type(ScalarType.Float32)); // [out,in,kH,kW]
        folded.bias!.copy_(((bias - bn.running_mean.to_type(f64)) * g + beta).to_type(ScalarType.Float32));
        return folded;
    }
}
