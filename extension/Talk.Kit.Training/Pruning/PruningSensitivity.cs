using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Training.Export;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>One point of a sensitivity curve: a layer pruned to a sparsity, the rest untouched, no retraining.</summary>
/// <param name="Sparsity">Target fraction of the layer's weights zeroed.</param>
/// <param name="Accuracy">Top-1 accuracy on the held-out images (ONNX Runtime, the kit's one evaluator).</param>
public sealed record SensitivityPoint(double Sparsity, double Accuracy);

/// <summary>How accuracy falls as one layer alone is pruned (Han et al. 2015, Fig. 6; Li et al. 2017, Fig. 2).</summary>
public sealed record LayerSensitivity(string Layer, long Weights, IReadOnlyList<SensitivityPoint> Points)
{
    /// <summary>The largest sparsity whose accuracy is within <paramref name="drop"/> (absolute, e.g. 0.01) of the dense one.</summary>
    public double MaxSparsityWithin(double dense, double drop) =>
        Points.Where(p => p.Accuracy >= dense - drop).Select(p => p.Sparsity).DefaultIfEmpty(0).Max();
}

/// <summary>The curves of every layer, with the dense accuracy they start from.</summary>
public sealed record SensitivityReport(string Network, string Data, double DenseAccuracy, IReadOnlyList<LayerSensitivity> Layers)
{
    /// <summary>Default sparsities: 0, 10, …, 90 and 95%.</summary>
    public static IReadOnlyList<double> DefaultSparsities { get; } = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
}

/// <summary>
/// Per-layer pruning sensitivity: prune one layer at a time by magnitude, export, and measure accuracy on held-out
/// images — the curves the paper reads its per-layer thresholds from (sensitive layers, like the first conv, keep more).
/// </summary>
public static class PruningSensitivity
{
    /// <summary>Measures every conv and linear layer (or <paramref name="layers"/>) of <paramref name="net"/>; the net's weights are restored after each point.</summary>
    /// <param name="held">Held-out images (a few hundred to a few thousand).</param>
    /// <param name="sparsities">Default <see cref="SensitivityReport.DefaultSparsities"/>.</param>
    public static SensitivityReport Analyze(nn.Module<Tensor, Tensor> net, string name, LabelledImages held, IReadOnlyList<double>? sparsities = null,
        IEnumerable<string>? layers = null, IProgress<(string Layer, double Sparsity)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(held);
        sparsities ??= SensitivityReport.DefaultSparsities;
        foreach (var s in sparsities) MagnitudeCriterion.CheckSparsity(s);
        var all = PrunableLayer.Of(net);
        var chosen = layers is null ? all : layers.Select(n => PrunableLayer.Find(all, n)).ToList();
        long[] inputShape = [1, held.Rows, held.Cols];

        double dense = Accuracy(net, name, inputShape, held);
        var curves = new List<LayerSensitivity>();
        foreach (var layer in chosen)
        {
            var original = layer.ReadWeights();
            var points = new List<SensitivityPoint>();
            try
            {
                foreach (double s in sparsities)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report((layer.Name, s));
                    var keep = MagnitudeCriterion.KeepLargest(original, s);
                    WeightWriter.Write(layer.Weight, original.Select((w, i) => keep[i] ? w : 0f).ToArray());
                    points.Add(new SensitivityPoint(s, Accuracy(net, name, inputShape, held)));
                }
            }
            finally
            {
                WeightWriter.Write(layer.Weight, original);
            }
            curves.Add(new LayerSensitivity(layer.Name, layer.Count, points));
        }
        return new SensitivityReport(name, held.ToString(), dense, curves);
    }

    private static double Accuracy(nn.Module<Tensor, Tensor> net, string name, long[] inputShape, LabelledImages held) =>
        Evaluator.Accuracy(Model.FromBytes(OnnxExporter.Export(net, name, inputShape), name, "pruning sensitivity"), held).Accuracy;
}
