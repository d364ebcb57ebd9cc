using Onnx;
using Talk.Kit.Compression.Sharing;
using Talk.Kit.Fusion;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Container;

/// <summary>Which initializers to compress and how; every other initializer is stored raw.</summary>
/// <param name="Layers">One entry per compressed initializer.</param>
public sealed record CompressionSettings(IReadOnlyList<LayerCompression> Layers)
{
    public IReadOnlyList<LayerCompression> Layers { get; init; } = Layers.ToArray();

    /// <summary>Lloyd iterations at most per layer.</summary>
    public int MaxIterations { get; init; } = WeightSharing.DefaultMaxIterations;

    /// <summary>
    /// The paper's defaults for <paramref name="model"/>: every float32 initializer of rank 4 (conv kernels) gets
    /// <see cref="LayerCompression.Conv"/>, every one of rank 2 (fc weights) <see cref="LayerCompression.Fc"/>, with the
    /// weight bits capped by <see cref="CodebookBits.Cap"/> for its non-zeros (its zeros are the pruned weights).
    /// Biases, and tensors with too few non-zeros for any codebook to pay (under 64), stay raw.
    /// </summary>
    /// <param name="convBits">Bits wanted for conv kernels (default the paper's 8), before the cap.</param>
    /// <param name="fcBits">Bits wanted for fc weights (default the paper's 5), before the cap.</param>
    public static CompressionSettings ForModel(Model model, int convBits = WeightSharing.ConvBits, int fcBits = WeightSharing.FcBits)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<LayerCompression>();
        foreach (var t in model.ReadOnlyProto.Graph.Initializer)
        {
            if (t.DataType != (int)OnnxElementType.Float || t.Dims.Count is not (2 or 4) || GraphEdit.ReadFloats(t) is not { } weights)
                continue;
            var paper = t.Dims.Count == 4 ? LayerCompression.Conv(t.Name) : LayerCompression.Fc(t.Name);
            int bits = CodebookBits.Cap(t.Dims.Count == 4 ? convBits : fcBits, weights.Count(w => w != 0));
            if (bits > 0) layers.Add(paper with { WeightBits = bits });
        }
        return new CompressionSettings(layers);
    }
}
