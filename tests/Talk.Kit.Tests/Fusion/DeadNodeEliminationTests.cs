using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class DeadNodeEliminationTests
{
    private readonly DeadNodeElimination pass = new();

    [Fact]
    public void UnreadBranchAndUnusedInitializer_AreRemoved()
    {
        var model = Model.FromBytes(new OnnxGraphBuilder("dead")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Initializer("unused", [1f, 2f], 2)
            .Initializer("k", [0.5f, 0.5f, 0.5f, 0.5f], 4)
            .Node("Mul", ["x", "k"], ["m"], name: "mul")
            .Node("Relu", ["m"], ["y"], name: "relu")
            .Node("Sigmoid", ["x"], ["u"], name: "sigmoid")
            .Node("Tanh", ["u"], ["v"], name: "tanh")
            .Output("y", OnnxElementType.Float, -1, 4).ToBytes(), "dead");

        var (result, after, graph) = Apply(pass, model);

        Assert.Equal(["Mul", "Relu"], Ops(graph));
        Assert.Equal(["k"], Initializers(graph));
        Assert.Equal(["sigmoid", "tanh"], result.Of(PassChangeKind.NodeRemoved).Select(c => c.Name).Order());
        Assert.Equal(["unused"], result.Of(PassChangeKind.InitializerRemoved).Select(c => c.Name));
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void EverythingUsed_NoChange()
    {
        var (result, _, _) = Apply(pass, SmallCnn());

        Assert.False(result.Changed);
    }
}
