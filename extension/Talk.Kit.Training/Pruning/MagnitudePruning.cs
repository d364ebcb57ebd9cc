using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// Magnitude pruning (Han, Pool, Tran &amp; Dally, "Learning both Weights and Connections", NIPS 2015): the weights of
/// smallest |w| matter least, so they are set to zero and kept there by a mask while the rest fine-tune.
/// Three ways to choose the threshold: per layer from σ (the paper's), per layer from a target sparsity, or one
/// global threshold (layers with small weights then lose more).
/// </summary>
/// <example><code>
/// using var masks = MagnitudePruning.BySparsity(net, new Dictionary&lt;string, double&gt; { ["fc1"] = 0.92, ["fc2"] = 0.91 });
/// Trainer.Train(net, data.Train, options, afterStep: _ =&gt; masks.Apply());   // pruned weights stay zero
/// </code></example>
public static class MagnitudePruning
{
    /// <summary>Prunes each named layer to its sparsity (fraction zeroed). Layers not named are not masked.</summary>
    /// <param name="into">Masks to update (iterative pruning); null: new masks, which the caller disposes.</param>
    public static PruningMasks BySparsity(nn.Module net, IReadOnlyDictionary<string, double> sparsity, PruningMasks? into = null)
    {
        ArgumentNullException.ThrowIfNull(sparsity);
        var layers = PrunableLayer.Of(net);
        return Fill(into, masks =>
        {
            foreach (var (name, s) in sparsity)
            {
                var layer = PrunableLayer.Find(layers, name);
                masks.Set(layer, MagnitudeCriterion.KeepLargest(layer.ReadWeights(), s));
            }
        });
    }

    /// <summary>Han et al. 2015: per layer, prunes |w| ≤ quality·σ_layer. <paramref name="layers"/>: default every conv and linear layer.</summary>
    public static PruningMasks ByQuality(nn.Module net, double quality, IEnumerable<string>? layers = null, PruningMasks? into = null)
    {
        var chosen = Choose(net, layers);
        return Fill(into, masks =>
        {
            foreach (var layer in chosen) masks.Set(layer, MagnitudeCriterion.KeepAboveQuality(layer.ReadWeights(), quality));
        });
    }

    /// <summary>One threshold for all <paramref name="layers"/> (default: every conv and linear layer), pruning <paramref name="sparsity"/> of their weights in total.</summary>
    public static PruningMasks Global(nn.Module net, double sparsity, IEnumerable<string>? layers = null, PruningMasks? into = null)
    {
        var chosen = Choose(net, layers);
        var weights = chosen.Select(l => l.ReadWeights()).ToList();
        float threshold = MagnitudeCriterion.GlobalThreshold(weights, sparsity);
        return Fill(into, masks =>
        {
            for (int i = 0; i < chosen.Count; i++) masks.Set(chosen[i], weights[i].Select(w => Math.Abs(w) > threshold).ToArray());
        });
    }

    private static List<PrunableLayer> Choose(nn.Module net, IEnumerable<string>? names)
    {
        var all = PrunableLayer.Of(net);
        return names is null ? all.ToList() : names.Select(n => PrunableLayer.Find(all, n)).ToList();
    }

    private static PruningMasks Fill(PruningMasks? into, Action<PruningMasks> fill)
    {
        var masks = into ?? new PruningMasks();
        try
        {
            fill(masks);
            return masks;
        }
        catch
        {
            if (into is null) masks.Dispose();
            throw;
        }
    }
}
