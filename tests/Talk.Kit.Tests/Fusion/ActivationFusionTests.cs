using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class ActivationFusionTests
{
    private readonly ActivationFusion pass = new();

    /// <summary>x[N,3,8,8] → Conv 3→4 pad 1 stride 2 → c → Relu or Clip(−0.5, 0.75) → y (and c also read by Sigmoid when shared).</summary>
    private static Model ConvAct(string activation, bool shared = false)
    {
        var random = new Random(9);
        var b = new OnnxGraphBuilder("conv-act")
            .Input("x", OnnxElementType.Float, -1, 3, 8, 8)
            .Initializer("w", Uniform(random, 4 * 3 * 3 * 3), 4, 3, 3, 3)
            .Initializer("b", Uniform(random, 4), 4)
            .Initializer("lo", [-0.5f])
            .Initializer("hi", [0.75f])
            .Node("Conv", ["x", "w", "b"], ["c"], Attrs(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }), ("strides", new long[] { 2, 2 })), "conv")
            .Node(activation, activation == "Clip" ? ["c", "lo", "hi"] : ["c"], ["y"], name: "act")
            .Output("y", OnnxElementType.Float, -1, 4, 4, 4);
        if (shared)
            b.Node("Sigmoid", ["c"], ["s"], name: "other").Output("s", OnnxElementType.Float, -1, 4, 4, 4);
        return Model.FromBytes(b.ToBytes(), "conv-act");
    }

    private static Model GemmRelu()
    {
        var random = new Random(10);
        return Model.FromBytes(new OnnxGraphBuilder("gemm-relu")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Initializer("B", Uniform(random, 12), 3, 4)
            .Initializer("C", Uniform(random, 3), 3)
            .Node("Gemm", ["x", "B", "C"], ["g"], Attrs(("transB", 1L), ("alpha", 1.5f)), "fc")
            .Node("Relu", ["g"], ["y"], name: "relu")
            .Output("y", OnnxElementType.Float, -1, 3).ToBytes(), "gemm-relu");
    }

    [Fact]
    public void ConvThenRelu_BecomesFusedConv_WithTheConvAttributes()
    {
        var model = ConvAct("Relu");

        var (result, after, graph) = Apply(pass, model);

        var fused = Assert.Single(graph.Graph.Node);
        Assert.Equal(("FusedConv", "com.microsoft"), (fused.OpType, fused.Domain));
        Assert.Equal(["x", "w", "b"], fused.Input);
        Assert.Equal(["y"], fused.Output);
        Assert.Equal(["kernel_shape", "pads", "strides", "activation"], fused.Attribute.Select(a => a.Name));
        Assert.Equal("Relu", fused.Attribute.Single(a => a.Name == "activation").S.ToStringUtf8());
        Assert.Contains(graph.OpsetImport, o => o.Domain == "com.microsoft" && o.Version == 1);
        Assert.Equal(3, result.Changes.Count);
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void ConvThenClip_BecomesFusedConv_WithBoundsAsParameters()
    {
        var model = ConvAct("Clip");

        var (_, after, graph) = Apply(pass, model);

        var fused = Assert.Single(graph.Graph.Node);
        Assert.Equal("FusedConv", fused.OpType);
        Assert.Equal([-0.5f, 0.75f], fused.Attribute.Single(a => a.Name == "activation_params").Floats);
        Assert.DoesNotContain("lo", Initializers(graph));
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void GemmThenRelu_BecomesFusedGemm()
    {
        var model = GemmRelu();

        var (_, after, graph) = Apply(pass, model);

        var fused = Assert.Single(graph.Graph.Node);
        Assert.Equal(("FusedGemm", "com.microsoft"), (fused.OpType, fused.Domain));
        Assert.Equal(["transB", "alpha", "activation"], fused.Attribute.Select(a => a.Name));
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void ConvOutputShared_IsLeftAlone()
    {
        var (result, _, graph) = Apply(pass, ConvAct("Relu", shared: true));

        Assert.False(result.Changed);
        Assert.Equal(["Conv", "Relu", "Sigmoid"], Ops(graph));
        Assert.DoesNotContain(graph.OpsetImport, o => o.Domain == "com.microsoft");
    }

    [Fact]
    public void OtherActivation_IsLeftAlone()
    {
        var (result, _, _) = Apply(pass, ConvAct("Sigmoid"));

        Assert.False(result.Changed);
    }

    [Fact]
    public void WeightsNotAFloatInitializer_IsLeftAlone()
    {
        var model = Model.FromBytes(new OnnxGraphBuilder("gemm-input-weights")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Input("B", OnnxElementType.Float, 4, 3)
            .Node("Gemm", ["x", "B"], ["g"], name: "fc")
            .Node("Relu", ["g"], ["y"], name: "relu")
            .Output("y", OnnxElementType.Float, -1, 3).ToBytes(), "gemm-input-weights");

        var (result, _, _) = Apply(pass, model);

        Assert.False(result.Changed);
    }
}
