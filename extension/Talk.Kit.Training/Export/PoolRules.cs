using TorchSharp.Modules;

namespace Talk.Kit.Training.Export;

/// <summary>MaxPool2d → MaxPool; AvgPool2d → AveragePool; AdaptiveAvgPool2d(1) → GlobalAveragePool.</summary>
/// <remarks>
/// Output size per axis: ⌊(size + 2·pad − d·(k−1) − 1)/stride⌋ + 1, or ⌈…⌉ with ceil_mode. TorchSharp leaves
/// stride null for "same as the kernel" and padding null for 0. ONNX pads are [top, left, bottom, right].
/// One ceil_mode corner differs: when the last window would start inside the end padding, PyTorch drops it and
/// ONNX's shape inference keeps it. ONNX Runtime 1.31's kernels follow PyTorch (values match, it only warns
/// "Error merging shape info"), so such exports pass verification but other ONNX tools may disagree on the shape.
/// </remarks>
internal static class PoolRules
{
    public static OnnxValue MaxPool(ExportGraph graph, MaxPool2d pool, string path, OnnxValue input)
    {
        ModuleRules.RequireRank(input, 4, pool, path, "MaxPool2d needs [N,C,H,W]");
        var attributes = new Dictionary<string, object>
        {
            ["kernel_shape"] = pool.kernel_size,
            ["strides"] = pool.stride ?? pool.kernel_size,
            ["pads"] = Pads(pool.padding),
            ["dilations"] = pool.dilation ?? [1, 1],
            ["ceil_mode"] = pool.ceil_mode ? 1L : 0L,
        };
        return new(graph.Node("MaxPool", path, [input.Name], attributes), 4);
    }

    public static OnnxValue AvgPool(ExportGraph graph, AvgPool2d pool, string path, OnnxValue input)
    {
        ModuleRules.RequireRank(input, 4, pool, path, "AvgPool2d needs [N,C,H,W]");
        if (pool.divisor_override is { } divisor)
            throw ModuleRules.Unsupported(pool, path, $"divisor_override = {divisor} has no ONNX AveragePool equivalent");
        var attributes = new Dictionary<string, object>
        {
            ["kernel_shape"] = pool.kernel_size,
            ["strides"] = pool.stride ?? pool.kernel_size,
            ["pads"] = Pads(pool.padding),
            ["ceil_mode"] = pool.ceil_mode ? 1L : 0L,
            // Both defaults differ: PyTorch counts padded zeros in the divisor unless told not to, ONNX does not.
            ["count_include_pad"] = pool.count_include_pad ? 1L : 0L,
        };
        return new(graph.Node("AveragePool", path, [input.Name], attributes), 4);
    }

    /// <summary>Average over all of H×W: [N,C,H,W] → [N,C,1,1].</summary>
    public static OnnxValue AdaptiveAvgPool(ExportGraph graph, AdaptiveAvgPool2d pool, string path, OnnxValue input)
    {
        ModuleRules.RequireRank(input, 4, pool, path, "AdaptiveAvgPool2d needs [N,C,H,W]");
        if (pool.output_size is not [1, 1])
            throw ModuleRules.Unsupported(pool, path,
                $"output size [{string.Join(",", pool.output_size ?? [])}] is not supported, only 1 (GlobalAveragePool); for a fixed input size use AvgPool2d with kernel = stride = size/output");
        return new(graph.Node("GlobalAveragePool", path, [input.Name]), 4);
    }

    private static long[] Pads(long[]? padding)
    {
        long[] p = padding ?? [0, 0];
        return [p[0], p[1], p[0], p[1]];
    }
}
