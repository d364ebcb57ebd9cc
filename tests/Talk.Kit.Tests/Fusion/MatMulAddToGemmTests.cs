using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class MatMulAddToGemmTests
{
    private readonly MatMulAddToGemm pass = new();

    private static Model Dense(long[] inputDims, bool biasFirst = false, bool matMulIsOutput = false)
    {
        var random = new Random(3);
        var b = new OnnxGraphBuilder("dense")
            .Input("x", OnnxElementType.Float, inputDims)
            .Initializer("B", Uniform(random, 4 * 3), 4, 3)
            .Initializer("c", Uniform(random, 3), 3)
            .Node("MatMul", ["x", "B"], ["m"], name: "matmul")
            .Node("Add", biasFirst ? ["c", "m"] : ["m", "c"], ["y"], name: "add")
            .Output("y", OnnxElementType.Float, [.. inputDims[..^1], 3]);
        if (matMulIsOutput)
            b.Output("m", OnnxElementType.Float, [.. inputDims[..^1], 3]);
        return Model.FromBytes(b.ToBytes(), "dense");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatMulThenBias_BecomesGemm(bool biasFirst)
    {
        var model = Dense([-1, 4], biasFirst);

        var (result, after, graph) = Apply(pass, model);

        Assert.Equal(["Gemm"], Ops(graph));
        Assert.Equal(["x", "B", "c"], graph.Graph.Node[0].Input);
        Assert.Equal(["y"], graph.Graph.Node[0].Output);
        Assert.Equal(3, result.Changes.Count);
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void BatchedMatMul_IsLeftAlone()
    {
        var (result, _, _) = Apply(pass, Dense([-1, 2, 4]));

        Assert.False(result.Changed);
    }

    [Fact]
    public void MatMulOutputAlsoAGraphOutput_IsLeftAlone()
    {
        var (result, _, graph) = Apply(pass, Dense([-1, 4], matMulIsOutput: true));

        Assert.False(result.Changed);
        Assert.Equal(["MatMul", "Add"], Ops(graph));
    }
}
