using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// Binary masks over the weights of a network's layers (1 = kept, 0 = pruned), the way Han et al. (2015) keep a pruned
/// connection dead while the rest retrain: after every optimizer step the weights are multiplied by their mask, so
/// whatever Adam's momentum did to a pruned weight is undone. Owns its mask tensors: dispose it.
/// </summary>
public sealed class PruningMasks : IDisposable
{
    private readonly Dictionary<string, (PrunableLayer Layer, Tensor Mask)> masks = new(StringComparer.Ordinal);

    /// <summary>The masked layers in the order they were set.</summary>
    public IReadOnlyList<string> Layers => masks.Keys.ToList();

    /// <summary>Sets the mask of <paramref name="layer"/> from a kept-flag per weight (row-major) and zeros the pruned weights now.</summary>
    public void Set(PrunableLayer layer, ReadOnlySpan<bool> keep)
    {
        if (keep.Length != layer.Count)
            throw new ArgumentException($"{keep.Length} flags for the {layer.Count} weights of '{layer.Name}'.", nameof(keep));
        var values = new float[keep.Length];
        for (int i = 0; i < values.Length; i++) values[i] = keep[i] ? 1f : 0f;
        var mask = tensor(values, layer.Weight.shape).DetachFromDisposeScope();
        if (masks.Remove(layer.Name, out var old)) old.Mask.Dispose();
        masks[layer.Name] = (layer, mask);
        Apply(layer.Name);
    }

    /// <summary>Re-applies every mask: w ← w ⊙ m (no gradient). Call after each optimizer step.</summary>
    public void Apply()
    {
        foreach (var name in masks.Keys) Apply(name);
    }

    private void Apply(string name)
    {
        var (layer, mask) = masks[name];
        using var noGrad = no_grad();
        layer.Weight.mul_(mask);
    }

    /// <summary>The kept-flag per weight of a masked layer (row-major).</summary>
    public bool[] Keep(string layer) =>
        (masks.TryGetValue(layer, out var m) ? m.Mask : throw new KeyNotFoundException($"No mask for '{layer}'; masked: {string.Join(", ", masks.Keys)}."))
        .data<float>().ToArray().Select(v => v != 0).ToArray();

    /// <summary>Fraction of weights pruned, per masked layer.</summary>
    public IReadOnlyDictionary<string, double> Sparsity() =>
        masks.ToDictionary(kv => kv.Key, kv => 1 - (double)kv.Value.Mask.sum().item<float>() / kv.Value.Mask.numel());

    /// <summary>Pruned weights ÷ all weights over the masked layers.</summary>
    public double TotalSparsity()
    {
        double all = masks.Values.Sum(m => (double)m.Mask.numel());
        return all == 0 ? 0 : 1 - masks.Values.Sum(m => (double)m.Mask.sum().item<float>()) / all;
    }

    public void Dispose()
    {
        foreach (var (_, mask) in masks.Values) mask.Dispose();
        masks.Clear();
    }
}
