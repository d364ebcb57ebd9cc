using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>A layer whose weights pruning may zero: a Conv2d kernel [out,in,kH,kW] or a Linear matrix [out,in].</summary>
/// <param name="Name">Module path, e.g. <c>features.conv1</c> (its ONNX initializer is <c>Name + ".weight"</c>).</param>
/// <param name="Weight">The live weight parameter (owned by the network, not by this record).</param>
/// <param name="IsConv">True for a conv kernel (Deep Compression shares those with 8 bits, fc with 5).</param>
public sealed record PrunableLayer(string Name, Tensor Weight, bool IsConv)
{
    /// <summary>The ONNX initializer the exporter gives this weight.</summary>
    public string Initializer => Name + ".weight";

    /// <summary>Number of weights.</summary>
    public long Count => Weight.numel();

    /// <summary>The Conv2d and Linear layers of <paramref name="net"/>, in module order. Biases are never pruned (Han et al. 2015 prune connections).</summary>
    public static IReadOnlyList<PrunableLayer> Of(nn.Module net)
    {
        ArgumentNullException.ThrowIfNull(net);
        var layers = new List<PrunableLayer>();
        foreach (var (name, module) in net.named_modules())
        {
            if (module is Conv2d conv && conv.weight is { } k) layers.Add(new PrunableLayer(name, k, IsConv: true));
            else if (module is Linear linear && linear.weight is { } w) layers.Add(new PrunableLayer(name, w, IsConv: false));
        }
        return layers;
    }

    /// <summary>The layer named <paramref name="name"/>, or an error listing the names.</summary>
    public static PrunableLayer Find(IReadOnlyList<PrunableLayer> layers, string name) =>
        layers.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException(
            $"No prunable layer '{name}'. The network's conv and linear layers: {string.Join(", ", layers.Select(l => l.Name))}.", nameof(name));

    /// <summary>A copy of the weights as a flat float array (row-major).</summary>
    public float[] ReadWeights() => Weight.detach().cpu().contiguous().data<float>().ToArray();
}
