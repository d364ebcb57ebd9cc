using Talk.Kit.Compression.Sharing;
using Talk.Kit.Compression.Sparse;

namespace Talk.Kit.Compression.Container;

/// <summary>How to compress one weight initializer. Pruning is already applied: its zeros are the pruned weights.</summary>
/// <param name="Initializer">Name of a float32 initializer of the model.</param>
/// <param name="WeightBits">Cluster index bits: 2^WeightBits shared weights (paper: 8 conv, 5 fc).</param>
/// <param name="IndexBits">Relative-index bits per gap (paper: 8 conv, 5 fc).</param>
public sealed record LayerCompression(string Initializer, int WeightBits, int IndexBits)
{
    /// <summary>The paper's conv setting: 8-bit weights, 8-bit relative index.</summary>
    public static LayerCompression Conv(string initializer) => new(initializer, WeightSharing.ConvBits, RelativeIndex.ConvIndexBits);

    /// <summary>The paper's fc setting: 5-bit weights, 5-bit relative index.</summary>
    public static LayerCompression Fc(string initializer) => new(initializer, WeightSharing.FcBits, RelativeIndex.FcIndexBits);

    public override string ToString() => $"{Initializer}: {WeightBits}-bit weights, {IndexBits}-bit index";
}
