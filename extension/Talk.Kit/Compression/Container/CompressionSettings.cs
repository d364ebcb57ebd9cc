using Onnx;
using Talk.Kit.Compression.Sharing;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Container;

/// <summary>Which initializers to compress and how; every other initializer is stored raw.</summary>
/// <param name="Layers">One entry per compressed initializer.</param>
public sealed record CompressionSettings(IReadOnlyList<LayerCompression> Layers)
{
    /// <summary>Tensors smaller than this stay raw by default: their codebook and tables would cost more than they save.</summary>
    public const int DefaultMinElements = 256;

    public IReadOnlyList<LayerCompression> Layers { get; init; } = Layers.ToArray();

    /// <summary>Lloyd iterations at most per layer.</summary>
    public int MaxIterations { get; init; } = WeightSharing.DefaultMaxIterations;

    /// <summary>
    /// The paper's defaults for <paramref name="model"/>: every float32 initializer of rank 4 (conv kernels) gets
    /// <see cref="LayerCompression.Conv"/>, every one of rank 2 (fc weights) <see cref="LayerCompression.Fc"/>, when it
    /// has at least <paramref name="minElements"/> elements; biases and small tensors stay raw.
    /// </summary>
    public static CompressionSettings ForModel(Model model, int minElements = DefaultMinElements)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = model.ReadOnlyProto.Graph.Initializer
            .Where(t => t.DataType == (int)OnnxElementType.Float && ModelFacts.ElementCount(t) >= minElements)
            .Select(t => t.Dims.Count switch
            {
                4 => LayerCompression.Conv(t.Name),
                2 => LayerCompression.Fc(t.Name),
                _ => null,
            })
            .OfType<LayerCompression>()
            .ToArray();
        return new CompressionSettings(layers);
    }
}
