using Google.Protobuf;
using Onnx;
using Talk.Kit.Fusion;
using Talk.Kit.Models;

namespace Talk.Kit.Tests.Fusion;

/// <summary>Minimal graphs for the passes (fixed seeds, non-trivial BN statistics) and a helper to apply one pass.</summary>
internal static class FusionGraphs
{
    public static Dictionary<string, object> Attrs(params (string Key, object Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    public static float[] Uniform(Random random, int count, float low = -1, float high = 1) =>
        Enumerable.Range(0, count).Select(_ => low + (high - low) * (float)random.NextDouble()).ToArray();

    /// <summary>Adds γ, β, μ, σ² for <paramref name="channels"/> channels: γ ∈ [0.5, 2), β, μ ∈ [−1, 1), σ² ∈ [0.1, 3).</summary>
    public static OnnxGraphBuilder BatchNormParameters(this OnnxGraphBuilder b, Random random, string prefix, int channels) => b
        .Initializer(prefix + ".gamma", Uniform(random, channels, 0.5f, 2), channels)
        .Initializer(prefix + ".beta", Uniform(random, channels), channels)
        .Initializer(prefix + ".mean", Uniform(random, channels), channels)
        .Initializer(prefix + ".var", Uniform(random, channels, 0.1f, 3), channels);

    public static string[] BatchNormInputs(string x, string prefix) => [x, prefix + ".gamma", prefix + ".beta", prefix + ".mean", prefix + ".var"];

    /// <summary>x[N,3,8,8] → Conv 3→4 3×3 pad 1 (bias optional) → BatchNormalization(ε) → Relu → y.</summary>
    public static Model ConvBn(bool bias = true, float epsilon = 1e-3f)
    {
        var random = new Random(7);
        var b = new OnnxGraphBuilder("conv-bn")
            .Input("x", OnnxElementType.Float, -1, 3, 8, 8)
            .Initializer("w", Uniform(random, 4 * 3 * 3 * 3), 4, 3, 3, 3);
        float[] biasValues = Uniform(random, 4);
        if (bias)
            b.Initializer("b", biasValues, 4);
        b.BatchNormParameters(random, "bn", 4)
            .Node("Conv", bias ? ["x", "w", "b"] : ["x", "w"], ["c"], Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })), "conv")
            .Node("BatchNormalization", BatchNormInputs("c", "bn"), ["n"], Attrs(("epsilon", epsilon)), "bn")
            .Node("Relu", ["n"], ["y"], name: "relu")
            .Output("y", OnnxElementType.Float, -1, 4, 8, 8);
        return Model.FromBytes(b.ToBytes(), bias ? "conv-bn" : "conv-nobias-bn");
    }

    /// <summary>
    /// x[N,3,16,16] → Conv 3→8 (bias) → BN → Relu → Conv 8→8 (no bias) → BN → Relu → GlobalAveragePool → Flatten → Gemm 8→5 → y.
    /// </summary>
    public static Model SmallCnn()
    {
        var random = new Random(11);
        var conv = Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        var b = new OnnxGraphBuilder("small-cnn")
            .Input("x", OnnxElementType.Float, -1, 3, 16, 16)
            .Initializer("conv1.w", Uniform(random, 8 * 3 * 3 * 3), 8, 3, 3, 3)
            .Initializer("conv1.b", Uniform(random, 8), 8)
            .BatchNormParameters(random, "bn1", 8)
            .Initializer("conv2.w", Uniform(random, 8 * 8 * 3 * 3), 8, 8, 3, 3)
            .BatchNormParameters(random, "bn2", 8)
            .Initializer("fc.w", Uniform(random, 5 * 8), 5, 8)
            .Initializer("fc.b", Uniform(random, 5), 5)
            .Node("Conv", ["x", "conv1.w", "conv1.b"], ["c1"], conv, "conv1")
            .Node("BatchNormalization", BatchNormInputs("c1", "bn1"), ["n1"], Attrs(("epsilon", 1e-5f)), "bn1")
            .Node("Relu", ["n1"], ["r1"], name: "relu1")
            .Node("Conv", ["r1", "conv2.w"], ["c2"], conv, "conv2")
            .Node("BatchNormalization", BatchNormInputs("c2", "bn2"), ["n2"], Attrs(("epsilon", 1e-5f)), "bn2")
            .Node("Relu", ["n2"], ["r2"], name: "relu2")
            .Node("GlobalAveragePool", ["r2"], ["g"], name: "gap")
            .Node("Flatten", ["g"], ["f"], Attrs(("axis", 1L)), "flatten")
            .Node("Gemm", ["f", "fc.w", "fc.b"], ["y"], Attrs(("transB", 1L)), "fc")
            .Output("y", OnnxElementType.Float, -1, 5);
        return Model.FromBytes(b.ToBytes(), "small-cnn");
    }

    /// <summary>Applies <paramref name="pass"/> to a clone of <paramref name="model"/>: what it said, and the model it made.</summary>
    public static (PassResult Result, Model After, ModelProto Graph) Apply(IGraphPass pass, Model model)
    {
        var proto = model.ToProto();
        var result = pass.Apply(proto);
        return (result, Model.FromBytes(proto.ToByteArray(), model.Name + "-" + pass.Name), proto);
    }

    public static string[] Ops(ModelProto model) => model.Graph.Node.Select(n => n.OpType).ToArray();

    public static string[] Initializers(ModelProto model) => model.Graph.Initializer.Select(t => t.Name).ToArray();

    public static float[] Floats(ModelProto model, string initializer) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(model.Graph.Initializer.Single(t => t.Name == initializer).RawData.Span).ToArray();
}
