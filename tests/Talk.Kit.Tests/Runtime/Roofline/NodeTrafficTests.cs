using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Roofline;
using static Talk.Kit.Tests.Runtime.Roofline.Nodes;

namespace Talk.Kit.Tests.Runtime.Roofline;

public class NodeTrafficTests
{
    [Fact]
    public void LeNetConv1_ReadsWeightsAndInputOnce_WritesOutputOnce()
    {
        // X[1,1,28,28], W[6,1,5,5], B[6], pad 2 → Y[1,6,28,28].
        // Weights (150 + 6)·4 = 624 B; input 784·4 = 3,136 B; output 4,704·4 = 18,816 B → 22,576 B.
        // MACs = 4,704·25 = 117,600; FLOPs = 2·117,600 + 4,704 (bias) = 239,904 → intensity 239,904 / 22,576 ≈ 10.63 FLOP/B.
        var t = NodeTraffic.Of(Summary("Conv", [F32("x", 1, 1, 28, 28), F32("w", 6, 1, 5, 5), F32("b", 6)], [F32("y", 1, 6, 28, 28)],
            ["w", "b"], ("pads", new long[] { 2, 2, 2, 2 })));

        Assert.Equal((624, 3_136, 18_816), (t.WeightBytes, t.InputBytes, t.OutputBytes));
        Assert.Equal(22_576, t.MinimumBytes);
        Assert.Equal(239_904, t.Flops);
        Assert.Equal(239_904.0 / 22_576, t.ArithmeticIntensity, 12);
    }

    [Fact]
    public void DepthwiseConv_HasLowIntensity_BecauseEachOutputUsesOneChannel()
    {
        // X[1,32,56,56], W[32,1,3,3], B[32], group 32 → Y[1,32,56,56].
        // Weights (288 + 32)·4 = 1,280 B; input 100,352·4 = 401,408 B; output 401,408 B → 804,096 B.
        // FLOPs = 2·903,168 + 100,352 = 1,906,688 → ≈ 2.37 FLOP/B (a dense 32→32 3×3 conv would be ~32× that).
        var t = NodeTraffic.Of(Summary("Conv", [F32("x", 1, 32, 56, 56), F32("w", 32, 1, 3, 3), F32("b", 32)], [F32("y", 1, 32, 56, 56)],
            ["w", "b"], ("group", 32)));

        Assert.Equal(804_096, t.MinimumBytes);
        Assert.Equal(1_906_688, t.Flops);
        Assert.Equal(1_906_688.0 / 804_096, t.ArithmeticIntensity, 12);
    }

    [Fact]
    public void GemmAtBatch1_IsDominatedByItsWeights()
    {
        // LeNet fc1: A[1,400], W[120,400] (transB), C[120] → Y[1,120].
        // Weights (48,000 + 120)·4 = 192,480 B; input 1,600 B; output 480 B → 194,560 B.
        // FLOPs = 2·120·400 + 120 = 96,120 → ≈ 0.49 FLOP/B: every weight is used once per image.
        var t = NodeTraffic.Of(Summary("Gemm", [F32("a", 1, 400), F32("w", 120, 400), F32("c", 120)], [F32("y", 1, 120)], ["w", "c"], ("transB", 1)));

        Assert.Equal((192_480, 1_600, 480), (t.WeightBytes, t.InputBytes, t.OutputBytes));
        Assert.Equal(96_120, t.Flops);
        Assert.Equal(96_120.0 / 194_560, t.ArithmeticIntensity, 12);
    }

    [Fact]
    public void MaxPool_BatchNorm_Relu_AreFarBelowOneFlopPerByte()
    {
        // MaxPool 2×2 stride 2: X[1,6,28,28] 18,816 B → Y[1,6,14,14] 4,704 B; FLOPs = 1,176·4 = 4,704 → 4,704 / 23,520 = 0.2 exactly.
        var pool = NodeTraffic.Of(Summary("MaxPool", [F32("x", 1, 6, 28, 28)], [F32("y", 1, 6, 14, 14)], [],
            ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })));
        Assert.Equal(23_520, pool.MinimumBytes);
        Assert.Equal(0.2, pool.ArithmeticIntensity, 12);

        // BatchNorm: X[1,16,10,10] 6,400 B, γ β μ σ² [16] each = 4·64 = 256 B, Y 6,400 B → 13,056 B; FLOPs = 2·1,600 = 3,200.
        var bn = NodeTraffic.Of(Summary("BatchNormalization",
            [F32("x", 1, 16, 10, 10), F32("g", 16), F32("b", 16), F32("m", 16), F32("v", 16)], [F32("y", 1, 16, 10, 10)], ["g", "b", "m", "v"]));
        Assert.Equal((256, 6_400, 6_400), (bn.WeightBytes, bn.InputBytes, bn.OutputBytes));
        Assert.Equal(3_200.0 / 13_056, bn.ArithmeticIntensity, 12);

        // Relu: 1 FLOP per float read (4 B) and written (4 B) → 1/8 FLOP/B, whatever the shape.
        var relu = NodeTraffic.Of(Summary("Relu", [F32("x", 1, 120)], [F32("y", 1, 120)], []));
        Assert.Equal(960, relu.MinimumBytes);
        Assert.Equal(0.125, relu.ArithmeticIntensity);
    }

    [Fact]
    public void AnInputUsedTwice_IsReadOnce()
    {
        // Add(x, x): x is 40 B, read once; y 40 B.
        var t = NodeTraffic.Of(Summary("Add", [F32("x", 10), F32("x", 10)], [F32("y", 10)], []));
        Assert.Equal(80, t.MinimumBytes);
    }

    [Fact]
    public void FromARealSummary_InitializersCountAsWeights()
    {
        var model = Model.FromBytes(new OnnxGraphBuilder("conv1")
            .Input("x", OnnxElementType.Float, 1, 1, 28, 28)
            .Initializer("w", new float[150], 6, 1, 5, 5)
            .Initializer("b", new float[6], 6)
            .Node("Conv", ["x", "w", "b"], ["y"], new Dictionary<string, object> { ["pads"] = new long[] { 2, 2, 2, 2 } }, name: "conv1")
            .Output("y", OnnxElementType.Float, 1, 6, 28, 28)
            .ToBytes(), "conv1");

        var t = NodeTraffic.Of(ModelSummary.Of(model, threads: 1)["conv1"]);

        Assert.Equal((624, 3_136, 18_816), (t.WeightBytes, t.InputBytes, t.OutputBytes));
        Assert.Equal(239_904, t.Flops);
    }
}
