namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>
/// A layer's fp32 weights as a histogram, with the quantization grid they are snapped to: for per-channel weights,
/// the grid of the channel with the widest range (the coarsest one), drawn over the histogram of that channel.
/// </summary>
/// <param name="Node">The Conv/Gemm/MatMul.</param>
/// <param name="Channel">The channel shown (null: per-tensor weights, all of them shown).</param>
/// <param name="BinEdges">Histogram bin edges (count + 1 values).</param>
/// <param name="Counts">Weights per bin.</param>
/// <param name="Grid">Every representable value (q − zero point)·scale within the channel's range.</param>
/// <param name="Params">The quantization of the shown weights.</param>
public sealed record WeightHistogram(string Node, int? Channel, IReadOnlyList<double> BinEdges, IReadOnlyList<int> Counts, IReadOnlyList<double> Grid, QuantParams Params)
{
    public const int DefaultBins = 101;

    /// <param name="weights">The layer's fp32 weights, row-major in <paramref name="quantization"/>'s shape.</param>
    public static WeightHistogram Of(float[] weights, WeightQuantization quantization, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(quantization);
        int? channel = null;
        float[] shown = weights;
        var p = quantization.Params[0];
        if (quantization.Axis is int axis && quantization.Params.Count > 1)
        {
            // Row-major: element i belongs to channel (i / inner) % channels, inner = product of the dims after the axis.
            long inner = quantization.Shape.Skip(axis + 1).Aggregate(1L, (a, d) => a * d);
            int channels = quantization.Params.Count;
            channel = Enumerable.Range(0, channels).MaxBy(c => quantization.Params[c].Scale);
            shown = weights.Where((_, i) => (i / inner) % channels == channel).ToArray();
            p = quantization.Params[channel.Value];
        }
        double lo = p.Dequantize(p.Type.QMin), hi = p.Dequantize(p.Type.QMax);
        double min = Math.Min(lo, shown.Min()), max = Math.Max(hi, shown.Max());
        var edges = Enumerable.Range(0, bins + 1).Select(i => min + (max - min) * i / bins).ToArray();
        var counts = new int[bins];
        foreach (float w in shown)
            counts[Math.Clamp((int)((w - min) / (max - min) * bins), 0, bins - 1)]++;
        var grid = Enumerable.Range(p.Type.QMin, p.Type.QMax - p.Type.QMin + 1).Select(q => (double)p.Dequantize(q)).ToArray();
        return new WeightHistogram(quantization.Node, channel, edges, counts, grid, p);
    }
}
