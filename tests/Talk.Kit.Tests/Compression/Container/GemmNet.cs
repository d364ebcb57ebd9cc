using Talk.Kit.Models;

namespace Talk.Kit.Tests.Compression.Container;

/// <summary>x[N,64] → Gemm W1[32,64] (transB) + b1 → Relu → Gemm W2[10,32] + b2 → y[N,10], with pruned Gaussian weights (fixed seed).</summary>
internal static class GemmNet
{
    public static (float[] W1, float[] B1, float[] W2, float[] B2) Weights()
    {
        var random = new Random(2016);
        return (Pruned(Gaussian(random, 32 * 64), keep: 0.15), Gaussian(random, 32), Pruned(Gaussian(random, 10 * 32), keep: 0.5), Gaussian(random, 10));
    }

    public static Model Build((float[] W1, float[] B1, float[] W2, float[] B2) w, string name = "gemm-net") =>
        Model.FromBytes(new OnnxGraphBuilder(name)
            .Input("x", OnnxElementType.Float, -1, 64)
            .Initializer("W1", w.W1, 32, 64).Initializer("b1", w.B1, 32)
            .Initializer("W2", w.W2, 10, 32).Initializer("b2", w.B2, 10)
            .Node("Gemm", ["x", "W1", "b1"], ["h"], new Dictionary<string, object> { ["transB"] = 1L }, "fc1")
            .Node("Relu", ["h"], ["r"], name: "relu")
            .Node("Gemm", ["r", "W2", "b2"], ["y"], new Dictionary<string, object> { ["transB"] = 1L }, "fc2")
            .Output("y", OnnxElementType.Float, -1, 10)
            .ToBytes(), name);

    public static float[] Gaussian(Random random, int n, double std = 0.1) =>
        Enumerable.Range(0, n).Select(_ => (float)(std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    /// <summary>Magnitude pruning: keeps the ⌈keep·n⌉ largest |w|, zeros the rest (ties broken by position).</summary>
    public static float[] Pruned(float[] w, double keep)
    {
        int kept = (int)Math.Ceiling(keep * w.Length);
        var keepSet = Enumerable.Range(0, w.Length).OrderByDescending(i => Math.Abs(w[i])).ThenBy(i => i).Take(kept).ToHashSet();
        return w.Select((v, i) => keepSet.Contains(i) ? v : 0f).ToArray();
    }
}
