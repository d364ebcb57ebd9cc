using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Compression.Quantization;

/// <summary>Small hand-built float graphs for the quantizers (fixed seeds).</summary>
internal static class QuantGraphs
{
    public static readonly long[] ConvNetInput = [2, 3, 8, 8];

    /// <summary>x[N,3,8,8] → Conv 3→8 3×3 pad 1 (bias) → Relu → MaxPool 2×2 → Flatten [N,128] → Gemm 128→10 (transB = 1, bias) → y.</summary>
    public static Model ConvNet(int opset = 17)
    {
        var random = new Random(3);
        var b = new OnnxGraphBuilder("convnet", opset)
            .Input("x", OnnxElementType.Float, -1, 3, 8, 8)
            .Initializer("conv.w", Uniform(random, 8 * 3 * 3 * 3, -0.5f, 0.5f), 8, 3, 3, 3)
            .Initializer("conv.b", Uniform(random, 8, -0.2f, 0.2f), 8)
            .Initializer("fc.w", Uniform(random, 10 * 128, -0.2f, 0.2f), 10, 128)
            .Initializer("fc.b", Uniform(random, 10, -0.1f, 0.1f), 10)
            .Node("Conv", ["x", "conv.w", "conv.b"], ["c"], Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })), "conv")
            .Node("Relu", ["c"], ["r"], name: "relu")
            .Node("MaxPool", ["r"], ["p"], Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), "pool")
            .Node("Flatten", ["p"], ["f"], Attrs(("axis", 1L)), "flatten")
            .Node("Gemm", ["f", "fc.w", "fc.b"], ["y"], Attrs(("transB", 1L)), "fc")
            .Output("y", OnnxElementType.Float, -1, 10);
        return Model.FromBytes(b.ToBytes(), "convnet");
    }

    /// <summary>A wider conv net (32 → 64 channels on 16×16) where int8 kernels have work to do.</summary>
    public static Model WideConvNet()
    {
        var random = new Random(4);
        var conv = Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        var b = new OnnxGraphBuilder("wide-convnet")
            .Input("x", OnnxElementType.Float, -1, 16, 16, 16)
            .Initializer("c1.w", Uniform(random, 32 * 16 * 9, -0.2f, 0.2f), 32, 16, 3, 3)
            .Initializer("c1.b", Uniform(random, 32, -0.1f, 0.1f), 32)
            .Initializer("c2.w", Uniform(random, 64 * 32 * 9, -0.1f, 0.1f), 64, 32, 3, 3)
            .Initializer("c2.b", Uniform(random, 64, -0.1f, 0.1f), 64)
            .Initializer("fc.w", Uniform(random, 10 * 64 * 16, -0.05f, 0.05f), 10, 64 * 16)
            .Initializer("fc.b", Uniform(random, 10, -0.1f, 0.1f), 10)
            .Node("Conv", ["x", "c1.w", "c1.b"], ["a1"], conv, "conv1")
            .Node("Relu", ["a1"], ["r1"], name: "relu1")
            .Node("MaxPool", ["r1"], ["p1"], Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), "pool1")
            .Node("Conv", ["p1", "c2.w", "c2.b"], ["a2"], conv, "conv2")
            .Node("Relu", ["a2"], ["r2"], name: "relu2")
            .Node("MaxPool", ["r2"], ["p2"], Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), "pool2")
            .Node("Flatten", ["p2"], ["f"], Attrs(("axis", 1L)), "flatten")
            .Node("Gemm", ["f", "fc.w", "fc.b"], ["y"], Attrs(("transB", 1L)), "fc")
            .Output("y", OnnxElementType.Float, -1, 10);
        return Model.FromBytes(b.ToBytes(), "wide-convnet");
    }

    /// <summary>x[N,64] → MatMul [64,32] → Add b → Relu → Gemm 32→10 (transB = 0) → y: an MLP in the two spellings.</summary>
    public static Model Mlp()
    {
        var random = new Random(5);
        var b = new OnnxGraphBuilder("mlp")
            .Input("x", OnnxElementType.Float, -1, 64)
            .Initializer("w1", Uniform(random, 64 * 32, -0.3f, 0.3f), 64, 32)
            .Initializer("b1", Uniform(random, 32, -0.1f, 0.1f), 32)
            .Initializer("w2", Uniform(random, 32 * 10, -0.3f, 0.3f), 32, 10)
            .Initializer("b2", Uniform(random, 10, -0.1f, 0.1f), 10)
            .Node("MatMul", ["x", "w1"], ["m"], name: "fc1")
            .Node("Add", ["m", "b1"], ["h"], name: "fc1_bias")
            .Node("Relu", ["h"], ["r"], name: "relu")
            .Node("Gemm", ["r", "w2", "b2"], ["y"], name: "fc2")
            .Output("y", OnnxElementType.Float, -1, 10);
        return Model.FromBytes(b.ToBytes(), "mlp");
    }

    /// <summary>x, z [N,4] → Add → Relu → y: nothing to quantize.</summary>
    public static Model AddRelu() => Model.FromBytes(new OnnxGraphBuilder("add-relu")
        .Input("x", OnnxElementType.Float, -1, 4)
        .Input("z", OnnxElementType.Float, -1, 4)
        .Node("Add", ["x", "z"], ["s"], name: "add")
        .Node("Relu", ["s"], ["y"], name: "relu")
        .Output("y", OnnxElementType.Float, -1, 4).ToBytes(), "add-relu");
}
