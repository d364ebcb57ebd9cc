using Talk.Kit.Models;

namespace Talk.Kit.Tests.Runtime.Profiling;

/// <summary>The small network the profiler tests use (random weights, fixed seed).</summary>
internal static class ProfilingNets
{
    /// <summary>
    /// x[N,1,8,8] → conv 1→4 3×3 pad 1 → relu → pool (MaxPool 2) → flatten → fc (Gemm 64→10, transB=1) → y[N,10].
    /// At ORT_ENABLE_ALL, ORT runs conv+relu as one NCHWc Conv named "r_nchwc" followed by a "ReorderOutput" node.
    /// </summary>
    public static Model SmallCnn()
    {
        var random = new Random(7);
        float[] Weights(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = new OnnxGraphBuilder("small-cnn")
            .Input("x", OnnxElementType.Float, -1, 1, 8, 8)
            .Initializer("conv.w", Weights(4 * 9), 4, 1, 3, 3).Initializer("conv.b", Weights(4), 4)
            .Initializer("fc.w", Weights(10 * 64), 10, 64).Initializer("fc.b", Weights(10), 10)
            .Node("Conv", ["x", "conv.w", "conv.b"], ["c"], Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })), "conv")
            .Node("Relu", ["c"], ["r"], name: "relu")
            .Node("MaxPool", ["r"], ["p"], Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), "pool")
            .Node("Flatten", ["p"], ["f"], Attrs(("axis", 1L)), "flatten")
            .Node("Gemm", ["f", "fc.w", "fc.b"], ["y"], Attrs(("transB", 1L)), "fc")
            .Output("y", OnnxElementType.Float, -1, 10);
        return Model.FromBytes(b.ToBytes(), "small-cnn");
    }

    private static Dictionary<string, object> Attrs(params (string Key, object Value)[] attributes) =>
        attributes.ToDictionary(a => a.Key, a => a.Value);
}
