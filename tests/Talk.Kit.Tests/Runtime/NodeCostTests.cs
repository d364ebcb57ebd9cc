using Onnx;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Runtime;

public class NodeCostTests
{
    [Fact]
    public void DepthwiseConv_CountsOneInputChannelPerOutput()
    {
        // X[1,32,56,56], W[32,1,3,3], group 32 → Y[1,32,56,56]: MACs = 32·56·56·(32/32)·3·3 = 903,168; bias 32·56·56 = 100,352.
        var cost = NodeCost.Of(Node("Conv", ("group", 32)), [Shape(1, 32, 56, 56), Shape(32, 1, 3, 3), Shape(32)], [Shape(1, 32, 56, 56)]);

        Assert.Equal(new OpCost(903_168, 100_352, true), cost);
        Assert.Equal(2 * 903_168 + 100_352, cost.Flops);
    }

    [Fact]
    public void Gemm_WithTransposedA_TakesKFromItsFirstDimension()
    {
        // A[K=64, M=8] with transA, B[64,16] → Y[8,16]: MACs = 8·16·64 = 8,192; no C, so no elementwise ops.
        var cost = NodeCost.Of(Node("Gemm", ("transA", 1)), [Shape(64, 8), Shape(64, 16)], [Shape(8, 16)]);
        Assert.Equal(new OpCost(8_192, 0, true), cost);
    }

    [Fact]
    public void BatchedMatMul_CountsEveryOutputElementTimesK()
    {
        // A[2,3,4]·B[4,5] → Y[2,3,5]: 30 outputs × K=4 = 120 MACs.
        Assert.Equal(new OpCost(120, 0, true), NodeCost.Of(Node("MatMul"), [Shape(2, 3, 4), Shape(4, 5)], [Shape(2, 3, 5)]));
    }

    [Fact]
    public void ConvTranspose_ScattersEveryInputElementThroughTheKernel()
    {
        // X[1,8,4,4], W[8,3,2,2] stride 2 → Y[1,3,8,8]: MACs = 128 inputs · 3·2·2 = 1,536.
        Assert.Equal(new OpCost(1_536, 0, true), NodeCost.Of(Node("ConvTranspose"), [Shape(1, 8, 4, 4), Shape(8, 3, 2, 2)], [Shape(1, 3, 8, 8)]));
    }

    [Fact]
    public void ElementwiseOps_FollowTheStatedConvention()
    {
        TensorShape?[] y = [Shape(2, 10)];
        Assert.Equal(new OpCost(0, 20, true), NodeCost.Of(Node("Relu"), [Shape(2, 10)], y));
        Assert.Equal(new OpCost(0, 40, true), NodeCost.Of(Node("Clip"), [Shape(2, 10)], y));
        Assert.Equal(new OpCost(0, 40, true), NodeCost.Of(Node("BatchNormalization"), [Shape(2, 10)], y));
        Assert.Equal(new OpCost(0, 4 * 9, true), NodeCost.Of(Node("MaxPool", ("kernel_shape", new long[] { 3, 3 })), [Shape(1, 1, 6, 6)], [Shape(1, 1, 2, 2)]));
        Assert.Equal(new OpCost(0, 64, true), NodeCost.Of(Node("GlobalAveragePool"), [Shape(1, 4, 4, 4)], [Shape(1, 4, 1, 1)]));
        Assert.Equal(OpCost.Free, NodeCost.Of(Node("Reshape"), [Shape(2, 10), Shape(2)], y));
    }

    [Fact]
    public void UnknownOpsOrShapes_AreMarkedNotCounted()
    {
        Assert.False(NodeCost.Of(Node("NonMaxSuppression"), [], []).IsCounted);
        Assert.False(NodeCost.Of(Node("Conv"), [Shape(1, 3, 8, 8), null], [Shape(1, 4, 8, 8)]).IsCounted);
        Assert.False(NodeCost.Of(new NodeProto { OpType = "FusedConv", Domain = "com.microsoft" }, [], []).IsCounted);
    }

    private static TensorShape Shape(params long[] dims) => new(dims);

    private static NodeProto Node(string op, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op };
        foreach (var (name, value) in attributes)
            node.Attribute.Add(value is long[] ints
                ? new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } }
                : new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = Convert.ToInt64(value) });
        return node;
    }
}
