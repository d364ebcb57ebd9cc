using Onnx;
using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class ReshapeTransposeSimplificationTests
{
    private readonly ReshapeTransposeSimplification pass = new();

    /// <summary>x[<paramref name="x"/>] → <paramref name="body"/> → y[<paramref name="y"/>] (a -1 is the symbolic batch).</summary>
    private static Model Graph(long[] x, long[] y, Func<OnnxGraphBuilder, OnnxGraphBuilder> body) =>
        Model.FromBytes(body(new OnnxGraphBuilder("shapes").Input("x", OnnxElementType.Float, x)).Output("y", OnnxElementType.Float, y).ToBytes(), "shapes");

    private static Dictionary<string, object> Perm(params long[] perm) => Attrs(("perm", perm));

    private static (PassResult Result, ModelProto Graph) ApplyAndVerify(ReshapeTransposeSimplification pass, Model model)
    {
        var (result, after, graph) = Apply(pass, model);
        Assert.True(EquivalenceCheck.Verify(pass.Name, model, after).Equivalent);
        return (result, graph);
    }

    private static long[] Longs(ModelProto model, string initializer) =>
        GraphEdit.ReadLongs(model.Graph.Initializer.Single(t => t.Name == initializer))!;

    [Fact]
    public void NchwToNhwcAndBack_BothTransposesDisappear()
    {
        var model = Graph([-1, 3, 4, 5], [-1, 3, 4, 5], b => b
            .Node("Transpose", ["x"], ["a"], Perm(0, 2, 3, 1), "t1")
            .Node("Transpose", ["a"], ["t"], Perm(0, 3, 1, 2), "t2")
            .Node("Relu", ["t"], ["y"], name: "relu"));

        var (result, graph) = ApplyAndVerify(pass, model);

        Assert.Equal(["Relu"], Ops(graph));
        Assert.Equal(["x"], graph.Graph.Node[0].Input);
        Assert.Equal(["t1", "t2"], result.Of(PassChangeKind.NodeRemoved).Select(c => c.Name));
    }

    [Fact]
    public void TwoTransposes_BecomeOne_WithTheComposedPerm()
    {
        var model = Graph([-1, 3, 4, 5], [-1, 5, 4, 3], b => b
            .Node("Transpose", ["x"], ["a"], Perm(0, 2, 3, 1), "t1")
            .Node("Transpose", ["a"], ["t"], Perm(0, 2, 1, 3), "t2")
            .Node("Sigmoid", ["t"], ["y"], name: "sigmoid"));

        var (_, graph) = ApplyAndVerify(pass, model);

        Assert.Equal(["Transpose", "Sigmoid"], Ops(graph));
        var transpose = graph.Graph.Node[0];
        Assert.Equal(("t2", "x", "t"), (transpose.Name, transpose.Input.Single(), transpose.Output.Single()));
        Assert.Equal([0L, 3, 2, 1], transpose.Attribute.Single(a => a.Name == "perm").Ints);
    }

    [Fact]
    public void ThreeTransposes_CollapseInOneApplication()
    {
        var model = Graph([-1, 3, 4, 5], [-1, 4, 3, 5], b => b
            .Node("Transpose", ["x"], ["a"], Perm(0, 2, 3, 1), "t1")
            .Node("Transpose", ["a"], ["c"], Perm(0, 3, 1, 2), "t2")
            .Node("Transpose", ["c"], ["y"], Perm(0, 2, 1, 3), "t3"));

        var (_, graph) = ApplyAndVerify(pass, model);

        var transpose = Assert.Single(graph.Graph.Node);
        Assert.Equal([0L, 2, 1, 3], transpose.Attribute.Single(a => a.Name == "perm").Ints);
        Assert.Equal(["x"], transpose.Input);
    }

    [Fact]
    public void IdentityTranspose_IsRemoved_ReadersReadItsInput()
    {
        var model = Graph([-1, 4], [-1, 4], b => b
            .Node("Relu", ["x"], ["r"], name: "relu")
            .Node("Transpose", ["r"], ["t"], Perm(0, 1), "t")
            .Node("Sigmoid", ["t"], ["y"], name: "sigmoid"));

        var (_, graph) = ApplyAndVerify(pass, model);

        Assert.Equal(["Relu", "Sigmoid"], Ops(graph));
        Assert.Equal(["r"], graph.Graph.Node[1].Input);
    }

    [Fact]
    public void IdentityTranspose_WritingAGraphOutput_GivesItsNameToTheProducer()
    {
        var model = Graph([-1, 4], [-1, 4], b => b
            .Node("Relu", ["x"], ["r"], name: "relu")
            .Node("Transpose", ["r"], ["y"], Perm(0, 1), "t"));

        var (result, graph) = ApplyAndVerify(pass, model);

        Assert.Equal(["Relu"], Ops(graph));
        Assert.Equal(["y"], graph.Graph.Node[0].Output);
        Assert.Single(result.Of(PassChangeKind.NodeRewritten), c => c.Name == "relu");
    }

    [Fact]
    public void IdentityTranspose_FromInputToOutput_IsLeftAlone()
    {
        var (result, _, graph) = Apply(pass, Graph([-1, 4], [-1, 4], b => b.Node("Transpose", ["x"], ["y"], Perm(0, 1), "t")));

        Assert.False(result.Changed);
        Assert.Equal(["Transpose"], Ops(graph));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IntermediateReadTwice_OrAGraphOutput_IsLeftAlone(bool graphOutput)
    {
        var proto = new OnnxGraphBuilder("shared").Input("x", OnnxElementType.Float, -1, 3, 4, 5)
            .Initializer("s1", [-1L, 60], 2).Initializer("s2", [-1L, 6, 10], 3)
            .Node("Transpose", ["x"], ["a"], Perm(0, 2, 3, 1), "t1")
            .Node("Transpose", ["a"], ["y"], Perm(0, 3, 1, 2), "t2")
            .Node("Reshape", ["x", "s1"], ["r1"], name: "r1")
            .Node("Reshape", ["r1", "s2"], ["z"], name: "r2")
            .Output("y", OnnxElementType.Float, -1, 3, 4, 5)
            .Output("z", OnnxElementType.Float, -1, 6, 10).ToModelProto();
        if (graphOutput)
        {
            proto.Graph.Output.Add(new ValueInfoProto { Name = "a" });
            proto.Graph.Output.Add(new ValueInfoProto { Name = "r1" });
        }
        else
        {
            proto.Graph.Node.Add(new NodeProto { OpType = "Sigmoid", Name = "other", Input = { "a" }, Output = { "s" } });
            proto.Graph.Node.Add(new NodeProto { OpType = "Sigmoid", Name = "other2", Input = { "r1" }, Output = { "s2out" } });
            proto.Graph.Output.Add(new ValueInfoProto { Name = "s" });
            proto.Graph.Output.Add(new ValueInfoProto { Name = "s2out" });
        }

        var result = pass.Apply(proto);

        Assert.False(result.Changed);
        Assert.Equal(["Transpose", "Transpose", "Reshape", "Reshape"], Ops(proto).Take(4));
    }

    [Fact]
    public void ReshapePair_BecomesTheSecondReadingTheFirstsInput()
    {
        var model = Graph([-1, 2, 3, 4], [-1, 4, 6], b => b
            .Initializer("s1", [-1L, 24], 2).Initializer("s2", [-1L, 4, 6], 3)
            .Node("Reshape", ["x", "s1"], ["a"], name: "r1")
            .Node("Reshape", ["a", "s2"], ["y"], name: "r2"));

        var (_, graph) = ApplyAndVerify(pass, model);

        var reshape = Assert.Single(graph.Graph.Node);
        Assert.Equal("r2", reshape.Name);
        Assert.Equal(["x", "s2"], reshape.Input);
        Assert.Equal(["s2"], Initializers(graph));        // s1 has no reader left
    }

    [Fact]
    public void ReshapePair_ZerosOfTheSecondTarget_AreResolved()
    {
        // y = [N,2,12] then [0,0,3,4]: the second 0 copies y's 2 (a number in s1), the first copies N (a copying 0 in s1).
        var model = Graph([-1, 2, 3, 4], [-1, 2, 3, 4], b => b
            .Initializer("s1", [0L, 2, 12], 3).Initializer("s2", [0L, 0, 3, 4], 4)
            .Node("Reshape", ["x", "s1"], ["a"], name: "r1")
            .Node("Reshape", ["a", "s2"], ["y"], name: "r2"));

        var (_, graph) = ApplyAndVerify(pass, model);

        var reshape = Assert.Single(graph.Graph.Node);
        Assert.Equal(["x", "r2.shape"], reshape.Input);
        Assert.Equal([0L, 2, 3, 4], Longs(graph, "r2.shape"));
        Assert.Equal(["r2.shape"], Initializers(graph));
    }

    [Fact]
    public void ReshapePair_ThatRestoresAStaticShape_DisappearsEntirely()
    {
        var model = Graph([2, 3, 4], [2, 3, 4], b => b
            .Initializer("s1", [6L, 4], 2).Initializer("s2", [2L, -1, 4], 3)
            .Node("Reshape", ["x", "s1"], ["a"], name: "r1")
            .Node("Reshape", ["a", "s2"], ["r"], name: "r2")
            .Node("Sigmoid", ["r"], ["y"], name: "sigmoid"));

        var (_, graph) = ApplyAndVerify(pass, model);

        Assert.Equal(["Sigmoid"], Ops(graph));
        Assert.Equal(["x"], graph.Graph.Node[0].Input);
        Assert.Empty(Initializers(graph));
    }

    [Fact]
    public void ReshapePair_ZeroCopyingAnInferredDimension_IsLeftAlone()
    {
        var (result, _, graph) = Apply(pass, Graph([-1, 2, 3, 4], [-1, 4, 6], b => b
            .Initializer("s1", [-1L, 24], 2).Initializer("s2", [0L, 4, 6], 3)
            .Node("Reshape", ["x", "s1"], ["a"], name: "r1")
            .Node("Reshape", ["a", "s2"], ["y"], name: "r2")));

        Assert.False(result.Changed);
        Assert.Equal(["Reshape", "Reshape"], Ops(graph));
    }

    [Fact]
    public void FlattenThenReshape_ReshapesTheInputDirectly()
    {
        var model = Graph([-1, 2, 3, 4], [-1, 6, 4], b => b
            .Initializer("s", [-1L, 6, 4], 3)
            .Node("Flatten", ["x"], ["f"], Attrs(("axis", 1L)), "flatten")
            .Node("Reshape", ["f", "s"], ["y"], name: "reshape"));

        var (_, graph) = ApplyAndVerify(pass, model);

        Assert.Equal(["x", "s"], Assert.Single(graph.Graph.Node).Input);
    }

    [Fact]
    public void FlattenThenReshapeCopyingADimension_IsLeftAlone()
    {
        var (result, _, _) = Apply(pass, Graph([-1, 2, 3, 4], [-1, 6, 4], b => b
            .Initializer("s", [0L, 6, 4], 3)
            .Node("Flatten", ["x"], ["f"], Attrs(("axis", 1L)), "flatten")
            .Node("Reshape", ["f", "s"], ["y"], name: "reshape")));

        Assert.False(result.Changed);
    }

    [Theory]
    [InlineData(1L, 4L, new long[] { 4, 12 })]
    [InlineData(0L, 1L, new long[] { 1, 48 })]
    [InlineData(2L, 12L, new long[] { 12, 4 })]
    [InlineData(-1L, 12L, new long[] { 12, 4 })]
    public void ReshapeThenFlatten_BecomesOneReshape(long axis, long rows, long[] outputDims)
    {
        var model = Graph([2, 24], outputDims, b => b
            .Initializer("s", [4L, 3, 4], 3)
            .Node("Reshape", ["x", "s"], ["r"], name: "reshape")
            .Node("Flatten", ["r"], ["y"], Attrs(("axis", axis)), "flatten"));

        var (_, graph) = ApplyAndVerify(pass, model);

        var reshape = Assert.Single(graph.Graph.Node);
        Assert.Equal(("Reshape", "flatten"), (reshape.OpType, reshape.Name));
        Assert.Equal(["x", "flatten.shape"], reshape.Input);
        Assert.Empty(reshape.Attribute);
        Assert.Equal([rows, -1], Longs(graph, "flatten.shape"));
        Assert.Equal(["flatten.shape"], Initializers(graph));
    }

    [Fact]
    public void ReshapeThenFlatten_AfterAnInferredDimension_IsLeftAlone()
    {
        var (result, _, _) = Apply(pass, Graph([-1, 24], [-1, 12], b => b
            .Initializer("s", [-1L, 3, 4], 3)
            .Node("Reshape", ["x", "s"], ["r"], name: "reshape")
            .Node("Flatten", ["r"], ["y"], Attrs(("axis", 1L)), "flatten")));

        Assert.False(result.Changed);
    }

    [Fact]
    public void ReshapeToTheStaticShapeItAlreadyHas_IsRemoved()
    {
        var model = Graph([2, 3, 4], [2, 3, 4], b => b
            .Initializer("s", [0L, -1, 4], 3)
            .Node("Reshape", ["x", "s"], ["r"], name: "reshape")
            .Node("Sigmoid", ["r"], ["y"], name: "sigmoid"));

        var (result, graph) = ApplyAndVerify(pass, model);

        Assert.Equal(["Sigmoid"], Ops(graph));
        Assert.Equal(["x"], graph.Graph.Node[0].Input);
        Assert.Single(result.Of(PassChangeKind.InitializerRemoved), c => c.Name == "s");
    }

    [Fact]
    public void ReshapeOfASymbolicShape_IsLeftAlone_ShapesAreNeverGuessed()
    {
        var (result, _, _) = Apply(pass, Graph([-1, 3, 4], [-1, 3, 4], b => b
            .Initializer("s", [0L, 3, 4], 3)
            .Node("Reshape", ["x", "s"], ["r"], name: "reshape")
            .Node("Sigmoid", ["r"], ["y"], name: "sigmoid")));

        Assert.False(result.Changed);
    }

    [Fact]
    public void NoShapeOps_NoChange()
    {
        var (result, after, _) = Apply(pass, Model.FromBytes(Models.TestNets.LeNet5(), "lenet5"));

        Assert.False(result.Changed);
        Assert.Equal(12, after.NodeCount);
    }
}
