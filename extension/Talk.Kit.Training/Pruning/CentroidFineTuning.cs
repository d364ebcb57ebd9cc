using Talk.Kit.Compression.Sharing;
using Talk.Kit.Data;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// Deep Compression stage 2, trained quantization (Han, Mao &amp; Dally 2016, §3): cluster each pruned layer's weights
/// into 2^bits shared values, then fine-tune only the shared values. Every step the per-weight gradients are summed
/// per cluster (eq. 3), the centroids move, and centroid[index] is written back into the weights — so each layer stays
/// on at most 2^bits distinct values and its pruned weights stay zero. Biases train as usual.
/// </summary>
/// <example><code>
/// var sharing = CentroidFineTuning.Share(net, CentroidFineTuning.PaperBits(net, masks.Layers));
/// sharing.FineTune(net, data.Train, new TrainingOptions(Epochs: 1, LearningRate: 1e-4));
/// </code></example>
public sealed class CentroidFineTuning
{
    private readonly Dictionary<string, SharedLayer> layers;

    private CentroidFineTuning(Dictionary<string, SharedLayer> layers) => this.layers = layers;

    /// <summary>The shared layers by name.</summary>
    public IReadOnlyDictionary<string, SharedLayer> Layers => layers;

    /// <summary>The paper's bits (§3): 8 for conv layers, 5 for fully connected ones.</summary>
    public static Dictionary<string, int> PaperBits(nn.Module net, IEnumerable<string> names)
    {
        var all = PrunableLayer.Of(net);
        return names.ToDictionary(n => n, n => PrunableLayer.Find(all, n).IsConv ? WeightSharing.ConvBits : WeightSharing.FcBits);
    }

    /// <summary>Clusters each named layer (its zeros are pruned and stay so) and writes the shared values into the net now.</summary>
    public static CentroidFineTuning Share(nn.Module net, IReadOnlyDictionary<string, int> bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        var all = PrunableLayer.Of(net);
        var shared = bits.ToDictionary(b => b.Key, b =>
        {
            var layer = PrunableLayer.Find(all, b.Key);
            return new SharedLayer(layer, b.Value, layer.ReadWeights());
        });
        var sharing = new CentroidFineTuning(shared);
        sharing.WriteBack();
        return sharing;
    }

    /// <summary>After a backward pass: moves every layer's centroids by its gradients and writes them back.</summary>
    public void Step(double learningRate)
    {
        foreach (var layer in layers.Values)
        {
            var grad = layer.Layer.Weight.grad ?? throw new InvalidOperationException($"'{layer.Layer.Name}' has no gradient: call Step after backward().");
            layer.Update(grad.data<float>().ToArray(), learningRate);
        }
        WriteBack();
    }

    /// <summary>Fine-tunes with the kit's <see cref="Trainer"/>: its Adam step on a shared weight is overwritten by centroid[index] right after.</summary>
    /// <param name="centroidLearningRate">Adam step size of the centroids; default the training learning rate.</param>
    public IReadOnlyList<EpochResult> FineTune(nn.Module<Tensor, Tensor> net, LabelledImages train, TrainingOptions options, double? centroidLearningRate = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Trainer.Train(net, train, options, progress, cancellationToken, afterStep: _ => Step(centroidLearningRate ?? options.LearningRate));

    /// <summary>W ← C[I] per shared layer, 0 where pruned.</summary>
    public void WriteBack()
    {
        foreach (var layer in layers.Values) WeightWriter.Write(layer.Layer.Weight, layer.Decode());
    }
}
