using Google.Protobuf;
using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Tests.Models;

/// <summary>Small reference networks built with <see cref="OnnxGraphBuilder"/> (random weights, fixed seed), with their hand counts.</summary>
internal static class TestNets
{
    /// <summary>
    /// LeNet-5: x[N,1,28,28] → conv1 1→6 5×5 pad 2 → Relu → MaxPool 2 → conv2 6→16 5×5 → Relu → MaxPool 2 → Flatten
    /// → fc1 400→120 → Relu → fc2 120→84 → Relu → fc3 84→10. Gemm weights are [out,in] with transB=1 (PyTorch's Linear layout).
    /// </summary>
    public static byte[] LeNet5(int opset = 17) => LeNet5Builder(opset).ToBytes();

    public static OnnxGraphBuilder LeNet5Builder(int opset = 17)
    {
        var random = new Random(5);
        var b = new OnnxGraphBuilder("lenet5", opset)
            .Input("x", OnnxElementType.Float, -1, 1, 28, 28)
            .Initializer("conv1.w", Weights(random, 6 * 1 * 5 * 5), 6, 1, 5, 5)
            .Initializer("conv1.b", Weights(random, 6), 6)
            .Initializer("conv2.w", Weights(random, 16 * 6 * 5 * 5), 16, 6, 5, 5)
            .Initializer("conv2.b", Weights(random, 16), 16)
            .Node("Conv", ["x", "conv1.w", "conv1.b"], ["c1"], Attrs(("kernel_shape", new long[] { 5, 5 }), ("pads", new long[] { 2, 2, 2, 2 })), "conv1")
            .Node("Relu", ["c1"], ["r1"], name: "relu1")
            .Node("MaxPool", ["r1"], ["p1"], Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), "pool1")
            .Node("Conv", ["p1", "conv2.w", "conv2.b"], ["c2"], Attrs(("kernel_shape", new long[] { 5, 5 })), "conv2")
            .Node("Relu", ["c2"], ["r2"], name: "relu2")
            .Node("MaxPool", ["r2"], ["p2"], Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), "pool2")
            .Node("Flatten", ["p2"], ["f"], Attrs(("axis", 1L)), "flatten");
        Dense(b, random, "f", "fc1", 400, 120, relu: true);
        Dense(b, random, "fc1.r", "fc2", 120, 84, relu: true);
        Dense(b, random, "fc2.r", "fc3", 84, 10, relu: false);
        return b.Output("fc3.y", OnnxElementType.Float, -1, 10);
    }

    /// <summary>LeNet-300-100: Flatten → fc1 784→300 → Relu → fc2 300→100 → Relu → fc3 100→10.</summary>
    public static byte[] LeNet300100()
    {
        var random = new Random(300);
        var b = new OnnxGraphBuilder("lenet300100")
            .Input("x", OnnxElementType.Float, -1, 1, 28, 28)
            .Node("Flatten", ["x"], ["f"], Attrs(("axis", 1L)), "flatten");
        Dense(b, random, "f", "fc1", 784, 300, relu: true);
        Dense(b, random, "fc1.r", "fc2", 300, 100, relu: true);
        Dense(b, random, "fc2.r", "fc3", 100, 10, relu: false);
        return b.Output("fc3.y", OnnxElementType.Float, -1, 10).ToBytes();
    }

    /// <summary>
    /// In the style of the old CNTK ResNet-18 export: IR 3, opset 8, batch fixed to 1, initializers also listed as graph
    /// inputs, BatchNormalization with the old <c>spatial</c> attribute. x[1,3,8,8] → conv a 3→4 3×3 pad 1 → BN → Relu
    /// → conv b 4→4 3×3 pad 1 → BN → Add(residual from the first Relu) → Relu → MaxPool 2 → AveragePool 4 → y[1,4,1,1].
    /// </summary>
    public static byte[] FixedBatchResidual()
    {
        var random = new Random(18);
        var b = new OnnxGraphBuilder("residual", opset: 8)
            .Input("x", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("a.w", Weights(random, 4 * 3 * 9), 4, 3, 3, 3)
            .Initializer("b.w", Weights(random, 4 * 4 * 9), 4, 4, 3, 3);
        foreach (string bn in new[] { "bn_a", "bn_b" })
            b.Initializer($"{bn}.scale", Weights(random, 4), 4).Initializer($"{bn}.bias", Weights(random, 4), 4)
             .Initializer($"{bn}.mean", Weights(random, 4), 4).Initializer($"{bn}.var", [1f, 1f, 1f, 1f], 4);
        var conv = Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }));
        var bnAttrs = Attrs(("epsilon", 1e-5f), ("spatial", 1L));
        b.Node("Conv", ["x", "a.w"], ["ca"], conv, "conv_a")
         .Node("BatchNormalization", ["ca", "bn_a.scale", "bn_a.bias", "bn_a.mean", "bn_a.var"], ["na"], bnAttrs, "bn_a")
         .Node("Relu", ["na"], ["ra"], name: "relu_a")
         .Node("Conv", ["ra", "b.w"], ["cb"], conv, "conv_b")
         .Node("BatchNormalization", ["cb", "bn_b.scale", "bn_b.bias", "bn_b.mean", "bn_b.var"], ["nb"], bnAttrs, "bn_b")
         .Node("Add", ["nb", "ra"], ["s"], name: "add")
         .Node("Relu", ["s"], ["rs"], name: "relu_s")
         .Node("MaxPool", ["rs"], ["mp"], Attrs(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })), "maxpool")
         .Node("AveragePool", ["mp"], ["y"], Attrs(("kernel_shape", new long[] { 4, 4 })), "avgpool")
         .Output("y", OnnxElementType.Float, 1, 4, 1, 1);
        var proto = b.ToModelProto();
        proto.IrVersion = 3;
        foreach (var t in proto.Graph.Initializer) // IR < 4: every initializer is also a graph input
            proto.Graph.Input.Add(new ValueInfoProto
            {
                Name = t.Name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = t.DataType, Shape = Shape(t.Dims) } },
            });
        return proto.ToByteArray();
    }

    /// <summary>Edits a serialized model (tests of broken models).</summary>
    public static byte[] Edit(byte[] model, Action<ModelProto> edit)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        edit(proto);
        return proto.ToByteArray();
    }

    private static void Dense(OnnxGraphBuilder b, Random random, string input, string name, int inputs, int outputs, bool relu)
    {
        b.Initializer($"{name}.w", Weights(random, outputs * inputs), outputs, inputs)
         .Initializer($"{name}.b", Weights(random, outputs), outputs)
         .Node("Gemm", [input, $"{name}.w", $"{name}.b"], [$"{name}.y"], Attrs(("transB", 1L)), name);
        if (relu)
            b.Node("Relu", [$"{name}.y"], [$"{name}.r"], name: $"{name}.relu");
    }

    private static float[] Weights(Random random, int n) =>
        Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray();

    private static Dictionary<string, object> Attrs(params (string Key, object Value)[] attributes) =>
        attributes.ToDictionary(a => a.Key, a => a.Value);

    private static TensorShapeProto Shape(IEnumerable<long> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return shape;
    }
}
