using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class IdentityEliminationTests
{
    private readonly IdentityElimination pass = new();

    private static Model Chain(string op, bool identityIsOutput)
    {
        var b = new OnnxGraphBuilder("identity")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Node("Relu", ["x"], ["r"], name: "relu")
            .Node(op, ["r"], ["i"], name: "copy");
        if (identityIsOutput)
            b.Output("i", OnnxElementType.Float, -1, 4);
        else
            b.Node("Sigmoid", ["i"], ["y"], name: "sigmoid").Output("y", OnnxElementType.Float, -1, 4);
        return Model.FromBytes(b.ToBytes(), op);
    }

    [Theory]
    [InlineData("Identity")]
    [InlineData("Dropout")]
    public void CopyInTheMiddle_IsRemoved_ReadersReadItsInput(string op)
    {
        var (result, after, graph) = Apply(pass, Chain(op, identityIsOutput: false));

        Assert.Equal(["Relu", "Sigmoid"], Ops(graph));
        Assert.Equal(["r"], graph.Graph.Node[1].Input);
        Assert.Single(result.Of(PassChangeKind.NodeRemoved), c => c.Name == "copy");
        EquivalenceCheck.Verify(pass.Name, Chain(op, false), after);
    }

    [Fact]
    public void CopyWritingAGraphOutput_RenamesTheProducerOutput()
    {
        var (result, after, graph) = Apply(pass, Chain("Identity", identityIsOutput: true));

        Assert.Equal(["Relu"], Ops(graph));
        Assert.Equal(["i"], graph.Graph.Node[0].Output);
        Assert.Equal("i", graph.Graph.Output.Single().Name);
        Assert.Single(result.Of(PassChangeKind.NodeRewritten), c => c.Name == "relu");
        EquivalenceCheck.Verify(pass.Name, Chain("Identity", true), after);
    }

    [Fact]
    public void RenamedOutput_ReachesTheOtherReaders()
    {
        var model = Model.FromBytes(new OnnxGraphBuilder("identity-shared")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Node("Relu", ["x"], ["r"], name: "relu")
            .Node("Identity", ["r"], ["y"], name: "copy")
            .Node("Sigmoid", ["r"], ["s"], name: "sigmoid")
            .Output("y", OnnxElementType.Float, -1, 4)
            .Output("s", OnnxElementType.Float, -1, 4).ToBytes(), "identity-shared");

        var (_, after, graph) = Apply(pass, model);

        Assert.Equal(["Relu", "Sigmoid"], Ops(graph));
        Assert.Equal(["y"], graph.Graph.Node[1].Input);
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void InputToOutputCopy_IsLeftAlone()
    {
        var model = Model.FromBytes(new OnnxGraphBuilder("passthrough")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Node("Identity", ["x"], ["y"])
            .Output("y", OnnxElementType.Float, -1, 4).ToBytes(), "passthrough");

        var (result, _, graph) = Apply(pass, model);

        Assert.False(result.Changed);
        Assert.Equal(["Identity"], Ops(graph));
    }
}
