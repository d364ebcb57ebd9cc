using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class ConvBatchNormFoldingTests
{
    private readonly ConvBatchNormFolding pass = new();

    [Fact]
    public void ConvThenBn_FoldsIntoOneConv_WritingTheBnOutput()
    {
        var (result, after, graph) = Apply(pass, ConvBn());

        Assert.Equal(["Conv", "Relu"], Ops(graph));
        var conv = graph.Graph.Node[0];
        Assert.Equal(["x", "w.bnfold", "b.bnfold"], conv.Input);
        Assert.Equal(["n"], conv.Output);
        Assert.Equal(["w.bnfold", "b.bnfold"], Initializers(graph)); // old w, b and the four BN tensors have no reader left
        Assert.Single(result.Of(PassChangeKind.NodeRemoved), c => c.Name == "bn");
        Assert.Equal(6, result.Of(PassChangeKind.InitializerRemoved).Count());
        Assert.True(EquivalenceCheck.Verify(pass.Name, ConvBn(), after).Equivalent);
    }

    [Fact]
    public void FoldedWeights_FollowTheFormula()
    {
        var before = ConvBn(epsilon: 0.25f).ToProto();
        var (_, _, graph) = Apply(pass, ConvBn(epsilon: 0.25f));

        float[] w = Floats(before, "w"), b = Floats(before, "b");
        float[] gamma = Floats(before, "bn.gamma"), beta = Floats(before, "bn.beta"), mean = Floats(before, "bn.mean"), variance = Floats(before, "bn.var");
        float[] w2 = Floats(graph, "w.bnfold"), b2 = Floats(graph, "b.bnfold");
        for (int c = 0; c < 4; c++)
        {
            double s = gamma[c] / Math.Sqrt(variance[c] + 0.25);
            Assert.Equal((b[c] - mean[c]) * s + beta[c], b2[c], 1e-5);
            for (int k = 0; k < 27; k++)
                Assert.Equal(w[c * 27 + k] * s, w2[c * 27 + k], 1e-5);
        }
    }

    [Fact]
    public void ConvWithoutBias_GetsOne()
    {
        var model = ConvBn(bias: false);

        var (_, after, graph) = Apply(pass, model);

        Assert.Equal(["x", "w.bnfold", "conv.bias.bnfold"], graph.Graph.Node[0].Input);
        Assert.Equal([4L], graph.Graph.Initializer.Single(t => t.Name == "conv.bias.bnfold").Dims);
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void ConvOutputReadBySomethingElse_IsLeftAlone()
    {
        var shared = ConvBn().ToProto();
        shared.Graph.Node.Add(new Onnx.NodeProto { OpType = "Sigmoid", Name = "other", Input = { "c" }, Output = { "s" } });
        shared.Graph.Output.Add(new Onnx.ValueInfoProto { Name = "s", Type = shared.Graph.Output[0].Type });
        var model = ConvBn().With(shared, LineageStep.Now("test"));

        var (result, _, graph) = Apply(pass, model);

        Assert.False(result.Changed);
        Assert.Equal(["Conv", "BatchNormalization", "Relu", "Sigmoid"], Ops(graph));
    }

    [Fact]
    public void WeightSharedWithAnotherConv_StaysForThatConv()
    {
        var shared = ConvBn().ToProto();
        shared.Graph.Node.Add(new Onnx.NodeProto { OpType = "Conv", Name = "twin", Input = { "x", "w" }, Output = { "t" }, Attribute = { shared.Graph.Node[0].Attribute } });
        shared.Graph.Output.Add(new Onnx.ValueInfoProto { Name = "t", Type = shared.Graph.Output[0].Type });
        var model = ConvBn().With(shared, LineageStep.Now("test"));

        var (result, after, graph) = Apply(pass, model);

        Assert.True(result.Changed);
        Assert.Equal(["x", "w"], graph.Graph.Node.Single(n => n.Name == "twin").Input);
        Assert.Contains("w", Initializers(graph));
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void NoBatchNorm_NoChange()
    {
        var (result, after, _) = Apply(pass, Model.FromBytes(Models.TestNets.LeNet5(), "lenet5"));

        Assert.False(result.Changed);
        Assert.Equal(12, after.NodeCount);
    }
}
