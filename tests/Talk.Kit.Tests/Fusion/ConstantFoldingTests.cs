using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class ConstantFoldingTests
{
    private readonly ConstantFolding pass = new();

    /// <summary>w[24] → Reshape([3,8]) → Transpose → wᵀ[8,3]; x[N,8] → MatMul(wᵀ) → Add(Constant 0.5) → y[N,3].</summary>
    private static Model ReshapeTranspose(bool shapeIsGraphInput = false)
    {
        var random = new Random(13);
        var b = new OnnxGraphBuilder("fold")
            .Input("x", OnnxElementType.Float, -1, 8)
            .Initializer("w", Uniform(random, 24), 24)
            .Initializer("s", [3L, 8L], 2)
            .Node("Reshape", ["w", "s"], ["w2"], name: "reshape")
            .Node("Transpose", ["w2"], ["wt"], name: "transpose")
            .Node("MatMul", ["x", "wt"], ["m"], name: "matmul")
            .Node("Constant", [], ["half"], Attrs(("value_float", 0.5f)), "half")
            .Node("Add", ["m", "half"], ["y"], name: "add")
            .Output("y", OnnxElementType.Float, -1, 3);
        if (shapeIsGraphInput)
            b.Input("s", OnnxElementType.Int64, 2);
        return Model.FromBytes(b.ToBytes(), "fold");
    }

    [Fact]
    public void ConstantChainAndConstantNode_BecomeInitializers()
    {
        var model = ReshapeTranspose();

        var (result, after, graph) = Apply(pass, model);

        Assert.Equal(["MatMul", "Add"], Ops(graph));
        Assert.Equal(["wt", "half"], Initializers(graph)); // w and s: no reader left
        Assert.Equal([8L, 3L], graph.Graph.Initializer.Single(t => t.Name == "wt").Dims);
        Assert.Empty(graph.Graph.Initializer.Single(t => t.Name == "half").Dims);
        float[] w = Floats(model.ToProto(), "w"), wt = Floats(graph, "wt");
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(w[c * 8 + r], wt[r * 3 + c]);   // wᵀ[r,c] = w[c,r]
        Assert.Equal([0.5f], Floats(graph, "half"));
        Assert.Equal(3, result.Of(PassChangeKind.NodeRemoved).Count());
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void InitializerThatIsAlsoAGraphInput_IsNotAConstant()
    {
        var (result, _, graph) = Apply(pass, ReshapeTranspose(shapeIsGraphInput: true));

        Assert.Equal(["Reshape", "Transpose", "MatMul", "Add"], Ops(graph)); // only the Constant node folds
        Assert.Single(result.Of(PassChangeKind.NodeRemoved), c => c.Name == "half");
    }

    [Fact]
    public void RandomNode_IsNeverFolded()
    {
        var model = Model.FromBytes(new OnnxGraphBuilder("random")
            .Input("x", OnnxElementType.Float, -1, 3)
            .Node("RandomUniform", [], ["r"], Attrs(("shape", new long[] { 1, 3 }), ("seed", 1f)), "random")
            .Node("Add", ["x", "r"], ["y"], name: "add")
            .Output("y", OnnxElementType.Float, -1, 3).ToBytes(), "random");

        var (result, _, _) = Apply(pass, model);

        Assert.False(result.Changed);
    }

    [Fact]
    public void NodesReadingGraphInputs_AreLeftAlone()
    {
        var (result, _, _) = Apply(pass, SmallCnn());

        Assert.False(result.Changed);
    }

    [Fact]
    public void Pipeline_FoldsThenFusesMatMulAdd_OutputsStayEqual()
    {
        // After folding, the Add reads a scalar initializer: not a [N] bias, so MatMul + Add stays.
        var model = ReshapeTranspose();

        var (fused, report) = FusionPipeline.Default.Run(model);

        Assert.Equal(["MatMul", "Add"], Ops(fused.ToProto()));
        Assert.Equal("fold-constants", report.Applications[0].Pass);
        Assert.True(report.EndToEnd!.Equivalent);
    }
}
