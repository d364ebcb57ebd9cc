using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class ConvAddBiasFoldingTests
{
    private readonly ConvAddBiasFolding pass = new();

    /// <summary>x[N,3,8,8] → Conv 3→4 (bias optional) → c → Add(k of <paramref name="constantDims"/>) → y (→ Relu when asked).</summary>
    private static Model ConvAdd(long[] constantDims, bool bias = true, bool convIsOutput = false)
    {
        var random = new Random(5);
        var b = new OnnxGraphBuilder("conv-add")
            .Input("x", OnnxElementType.Float, -1, 3, 8, 8)
            .Initializer("w", Uniform(random, 4 * 3 * 3 * 3), 4, 3, 3, 3)
            .Initializer("k", Uniform(random, (int)constantDims.Aggregate(1L, (p, d) => p * d)), constantDims);
        if (bias)
            b.Initializer("b", Uniform(random, 4), 4);
        b.Node("Conv", bias ? ["x", "w", "b"] : ["x", "w"], ["c"], Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 })), "conv")
            .Node("Add", ["c", "k"], ["y"], name: "add")
            .Output("y", OnnxElementType.Float, -1, 4, 8, 8);
        if (convIsOutput)
            b.Output("c", OnnxElementType.Float, -1, 4, 8, 8);
        return Model.FromBytes(b.ToBytes(), "conv-add");
    }

    [Theory]
    [InlineData(true, new long[] { 1, 4, 1, 1 })]
    [InlineData(true, new long[] { 4, 1, 1 })]
    [InlineData(false, new long[] { 1, 4, 1, 1 })]
    public void ConvThenPerChannelAdd_FoldsIntoTheBias(bool bias, long[] dims)
    {
        var model = ConvAdd(dims, bias);

        var (result, after, graph) = Apply(pass, model);

        Assert.Equal(["Conv"], Ops(graph));
        string newBias = bias ? "b.addfold" : "conv.bias.addfold";
        Assert.Equal(["x", "w", newBias], graph.Graph.Node[0].Input);
        Assert.Equal(["y"], graph.Graph.Node[0].Output);
        Assert.Equal(["w", newBias], Initializers(graph));
        Assert.Single(result.Of(PassChangeKind.NodeRemoved), c => c.Name == "add");
        float[] k = Floats(model.ToProto(), "k"), b = bias ? Floats(model.ToProto(), "b") : new float[4];
        Assert.Equal(Enumerable.Range(0, 4).Select(i => b[i] + k[i]), Floats(graph, newBias));
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Theory]
    [InlineData(new long[] { 4 })]          // broadcasts along W, not channels
    [InlineData(new long[] { 1, 4, 8, 8 })] // one value per pixel
    [InlineData(new long[] { 1, 1, 4, 1, 1 })]
    public void NotPerChannel_IsLeftAlone(long[] dims)
    {
        var (result, _, graph) = Apply(pass, ConvAdd(dims));

        Assert.False(result.Changed);
        Assert.Equal(["Conv", "Add"], Ops(graph));
    }

    [Fact]
    public void ConvOutputAlsoAGraphOutput_IsLeftAlone()
    {
        var (result, _, _) = Apply(pass, ConvAdd([1, 4, 1, 1], convIsOutput: true));

        Assert.False(result.Changed);
    }

    [Theory]
    [InlineData(new long[] { 3 }, true)]
    [InlineData(new long[] { 1, 3 }, false)]
    public void GemmThenAdd_FoldsIntoC_WithBeta(long[] dims, bool withC)
    {
        var random = new Random(6);
        var b = new OnnxGraphBuilder("gemm-add")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Initializer("B", Uniform(random, 12), 3, 4)
            .Initializer("C", Uniform(random, 3), 3)
            .Initializer("k", Uniform(random, 3), dims)
            .Node("Gemm", withC ? ["x", "B", "C"] : ["x", "B"], ["g"], Attrs(("transB", 1L), ("beta", 0.5f), ("alpha", 2f)), "fc")
            .Node("Add", ["k", "g"], ["y"], name: "add")
            .Output("y", OnnxElementType.Float, -1, 3);
        var model = Model.FromBytes(b.ToBytes(), "gemm-add");

        var (result, after, graph) = Apply(pass, model);

        Assert.True(result.Changed);
        Assert.Equal(["Gemm"], Ops(graph));
        Assert.Equal(["y"], graph.Graph.Node[0].Output);
        Assert.DoesNotContain(graph.Graph.Node[0].Attribute, a => a.Name == "beta");
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void SmallCnn_HasNoAddToFold()
    {
        var (result, _, _) = Apply(pass, SmallCnn());

        Assert.False(result.Changed);
    }
}
