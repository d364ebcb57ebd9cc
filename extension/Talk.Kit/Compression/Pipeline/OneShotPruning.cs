using Talk.Kit.Fusion;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Pipeline;

/// <summary>
/// Magnitude pruning of an ONNX model's weights, in one shot and without retraining (Han et al. 2015, §3 before the
/// retraining step): in every named initializer the ⌊sparsity·n⌉ weights of smallest |w| become 0. For a model the kit
/// has no training graph for (ResNet-18), this is the pruning there is; with retraining, see Talk.Kit.Training's
/// <c>DeepCompressionRun</c>.
/// </summary>
public static class OneShotPruning
{
    /// <summary>A copy of <paramref name="model"/> with each of <paramref name="initializers"/> pruned to <paramref name="sparsity"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Sparsity outside [0, 1).</exception>
    public static Model Prune(Model model, IEnumerable<string> initializers, double sparsity) =>
        Prune(model, initializers.ToDictionary(n => n, _ => sparsity));

    /// <summary>A copy of <paramref name="model"/> with each named initializer pruned to its own sparsity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A sparsity outside [0, 1).</exception>
    public static Model Prune(Model model, IReadOnlyDictionary<string, double> sparsities)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sparsities);
        foreach (double sparsity in sparsities.Values)
            if (sparsity is < 0 or >= 1 || double.IsNaN(sparsity))
                throw new ArgumentOutOfRangeException(nameof(sparsities), sparsity, "Sparsity is a fraction from 0 up to (not including) 1, e.g. 0.9 for 90%.");
        var proto = model.ToProto();
        foreach (var (name, sparsity) in sparsities)
        {
            var tensor = GraphEdit.Initializer(proto.Graph, name) ?? throw new ArgumentException($"Model '{model.Name}' has no initializer '{name}'.", nameof(sparsities));
            var weights = GraphEdit.ReadFloats(tensor) ?? throw new ArgumentException($"Initializer '{name}' of '{model.Name}' is not float32.", nameof(sparsities));
            PruneInPlace(weights, sparsity);
            var pruned = GraphEdit.FloatTensor(name, weights, tensor.Dims);
            tensor.FloatData.Clear();
            tensor.RawData = pruned.RawData;
        }
        return model.With(proto, LineageStep.Now("prune (one shot)", new Dictionary<string, string>
        {
            ["sparsity"] = string.Join(", ", sparsities.Select(s => $"{s.Key} {s.Value.ToString("0.##%", System.Globalization.CultureInfo.InvariantCulture)}")),
        }), $"{model.Name}-pruned");
    }

    /// <summary>Zeros the round(sparsity·n) smallest-magnitude weights (exactly that many, ties or not).</summary>
    public static void PruneInPlace(Span<float> weights, double sparsity)
    {
        int drop = (int)Math.Round(sparsity * weights.Length);
        if (drop == 0) return;
        var order = new int[weights.Length];
        var magnitude = new float[weights.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
            magnitude[i] = Math.Abs(weights[i]);
        }
        Array.Sort(magnitude, order); // ascending |w|; the first `drop` go
        for (int i = 0; i < drop; i++) weights[order[i]] = 0;
    }
}
