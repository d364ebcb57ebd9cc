using Talk.Kit.Training.Export;
using Talk.Kit.Training.Qat;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// Structured pruning (Li, Kadav, Durdanovic, Samet &amp; Graf, "Pruning Filters for Efficient ConvNets", ICLR 2017):
/// remove whole output channels of a conv — the filters of smallest L1 norm Σ|W[c,:,:,:]| — together with their
/// BatchNorm entries and the matching input channels of the next layer. Unlike zeroing weights, this gives a smaller
/// dense network: fewer MACs that ordinary dense kernels really skip.
/// </summary>
/// <remarks>
/// Between a pruned conv and its consumer only channel-wise layers may sit (BatchNorm2d right after the conv, ReLU,
/// ReLU6, pooling, Dropout, Flatten). The consumer is the next Conv2d (its input channels are cut) or, after Flatten,
/// the next Linear: flattening [N,C,H,W] puts channel c at features c·H·W … c·H·W + H·W − 1, so those columns go.
/// A removed channel whose output is not zero (a bias, a BatchNorm shift) takes that constant with it: the result equals
/// the original only when the removed channels output zero, e.g. their weights and bias are zero.
/// </remarks>
public static class ChannelPruning
{
    /// <summary>L1 norm of every output filter of a conv: ‖W[c]‖₁ for c = 0..out−1.</summary>
    public static float[] FilterNorms(Conv2d conv)
    {
        using var scope = NewDisposeScope();
        return conv.weight!.detach().abs().sum([1, 2, 3]).data<float>().ToArray(); // [out]
    }

    /// <summary>
    /// A new network where each named conv keeps its <c>keep</c> filters of largest L1 norm (ties: lower index first),
    /// in their original order. The input is not changed; the caller owns (and disposes) the copy.
    /// </summary>
    public static Sequential Prune(nn.Module<Tensor, Tensor> net, IReadOnlyDictionary<string, int> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var leaves = Leaves(net);
        var channels = keep.ToDictionary(k => k.Key, k =>
        {
            var conv = ConvAt(leaves, k.Key);
            if (k.Value < 1 || k.Value > conv.out_channels)
                throw new ArgumentOutOfRangeException(nameof(keep), k.Value, $"'{k.Key}' has {conv.out_channels} channels; keep 1 to {conv.out_channels}.");
            var norms = FilterNorms(conv);
            return Enumerable.Range(0, norms.Length).OrderByDescending(c => norms[c]).ThenBy(c => c).Take(k.Value)
                .Order().Select(c => (long)c).ToArray();
        });
        return RemoveChannels(net, channels);
    }

    /// <summary>A new network where each named conv keeps exactly the listed output channels (ascending, distinct).</summary>
    public static Sequential RemoveChannels(nn.Module<Tensor, Tensor> net, IReadOnlyDictionary<string, long[]> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var leaves = Leaves(net);
        var outputs = new Dictionary<string, long[]>();
        var inputs = new Dictionary<string, long[]>();
        var norms = new Dictionary<string, long[]>();
        var linearInputs = new Dictionary<string, long[]>();
        foreach (var (name, channels) in keep)
        {
            var conv = ConvAt(leaves, name);
            if (channels.Length == 0 || channels.Any(c => c < 0 || c >= conv.out_channels) || channels.Zip(channels.Skip(1)).Any(p => p.First >= p.Second))
                throw new ArgumentException($"Channels to keep in '{name}' must be ascending, distinct and in 0..{conv.out_channels - 1}.", nameof(keep));
            outputs[name] = channels;
            int i = leaves.FindIndex(l => l.Path == name) + 1;
            bool flattened = false;
            for (; i < leaves.Count; i++)
            {
                var (path, module) = leaves[i];
                if (module is BatchNorm2d && i == leaves.FindIndex(l => l.Path == name) + 1) norms[path] = channels;
                else if (module is Flatten) flattened = true;
                else if (module is ReLU or ReLU6 or MaxPool2d or AvgPool2d or AdaptiveAvgPool2d or Dropout) { }
                else if (module is Conv2d && !flattened) { inputs[path] = channels; break; }
                else if (module is Linear linear && flattened) { linearInputs[path] = FlattenedFeatures(linear, conv.out_channels, channels, path); break; }
                else throw new NotSupportedException($"'{path}' ({module.GetType().Name}) sits between '{name}' and its consumer; only BatchNorm, ReLU, pooling, Dropout and Flatten can.");
            }
            if (i == leaves.Count)
                throw new NotSupportedException($"'{name}' feeds the network's output directly: removing its channels would change what the network returns.");
        }
        if (net is not Sequential root) throw new NotSupportedException($"Channel pruning copies a tree of Sequentials, not {net.GetType().Name}.");
        using var noGrad = no_grad();
        var copy = Copy(root, "", (path, module) => module switch
        {
            Conv2d c when outputs.ContainsKey(path) || inputs.ContainsKey(path) => ChannelSlices.Conv(c, outputs.GetValueOrDefault(path), inputs.GetValueOrDefault(path)),
            BatchNorm2d bn => ChannelSlices.BatchNorm(bn, norms.GetValueOrDefault(path) ?? Enumerable.Range(0, (int)bn.num_features).Select(c => (long)c).ToArray()),
            Linear l when linearInputs.TryGetValue(path, out var columns) => ChannelSlices.Linear(l, columns),
            _ => ModuleCopy.Of(module, path),
        });
        copy.train(net.training);
        return copy;
    }

    /// <summary>Parameters (weights, biases, BatchNorm γ/β) of a network: what shrinks.</summary>
    public static long ParameterCount(nn.Module net) => net.parameters().Sum(p => p.numel());

    // Flatten of [N,C,H,W] → [N,C·H·W], channel-major: feature f = c·(H·W) + h·W + w.
    private static long[] FlattenedFeatures(Linear linear, long channels, long[] keep, string path)
    {
        if (linear.in_features % channels != 0)
            throw new NotSupportedException($"'{path}' takes {linear.in_features} features, not a multiple of the {channels} channels before Flatten.");
        long spatial = linear.in_features / channels; // H·W
        return keep.SelectMany(c => Enumerable.Range(0, (int)spatial).Select(s => c * spatial + s)).ToArray();
    }

    private static Conv2d ConvAt(List<(string Path, nn.Module<Tensor, Tensor> Module)> leaves, string name) =>
        leaves.FirstOrDefault(l => l.Path == name).Module as Conv2d ?? throw new ArgumentException(
            $"No conv '{name}'. The network's convs: {string.Join(", ", leaves.Where(l => l.Module is Conv2d).Select(l => l.Path))}.", nameof(name));

    /// <summary>The leaves of a tree of Sequentials in forward order, with their paths.</summary>
    private static List<(string Path, nn.Module<Tensor, Tensor> Module)> Leaves(nn.Module<Tensor, Tensor> net)
    {
        var leaves = new List<(string, nn.Module<Tensor, Tensor>)>();
        void Walk(nn.Module<Tensor, Tensor> module, string path)
        {
            if (module is Sequential s)
                foreach (var (name, child) in s.named_children()) Walk((nn.Module<Tensor, Tensor>)child, ModulePath.Join(path, name));
            else if (module.children().Any())
                throw new NotSupportedException($"'{ModulePath.Label(path)}' ({module.GetType().Name}) has its own forward (e.g. a residual add); channel pruning handles chains of Sequentials.");
            else leaves.Add((path, module));
        }
        Walk(net, "");
        return leaves;
    }

    private static Sequential Copy(Sequential sequential, string path, Func<string, nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> leaf) =>
        nn.Sequential(sequential.named_children().Select(c =>
        {
            string childPath = ModulePath.Join(path, c.name);
            var module = (nn.Module<Tensor, Tensor>)c.module;
            return (c.name, module is Sequential inner ? Copy(inner, childPath, leaf) : leaf(childPath, module));
        }).ToList());
}
