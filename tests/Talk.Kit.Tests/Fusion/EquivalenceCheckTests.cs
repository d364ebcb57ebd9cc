using Onnx;
using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class EquivalenceCheckTests
{
    /// <summary>A wrong BN fold: forgets ε (folds with ε = 0 whatever the node says).</summary>
    private sealed class FoldForgettingEpsilon : IGraphPass
    {
        public string Name => "fold-conv-bn-without-epsilon";
        public string Description => "Deliberately wrong: W·γ/√σ².";

        public PassResult Apply(ModelProto model)
        {
            foreach (var bn in model.Graph.Node.Where(n => n.OpType == "BatchNormalization"))
                bn.Attribute.Single(a => a.Name == "epsilon").F = 0f;
            return new ConvBatchNormFolding().Apply(model);
        }
    }

    /// <summary>A wrong MatMul+Add fusion: drops the bias.</summary>
    private sealed class FuseDroppingBias : IGraphPass
    {
        public string Name => "fuse-matmul-drop-bias";
        public string Description => "Deliberately wrong: Add(MatMul, c) → MatMul.";

        public PassResult Apply(ModelProto model)
        {
            var add = model.Graph.Node.Single(n => n.OpType == "Add");
            var matMul = model.Graph.Node.Single(n => n.OpType == "MatMul");
            matMul.Output[0] = add.Output[0];
            model.Graph.Node.Remove(add);
            return new PassResult(Name, [new(PassChangeKind.NodeRemoved, add.Name, "bias dropped")]);
        }
    }

    [Fact]
    public void SameModel_ZeroDiff()
    {
        var model = SmallCnn();

        var result = EquivalenceCheck.Verify("none", model, model);

        Assert.True(result.Equivalent);
        Assert.Equal(0, result.MaxAbsDiff);
        Assert.Equal("y", result.Outputs.Single().Output);
        Assert.True(result.Outputs.Single().MaxAbsBefore > 0);
        Assert.Equal(0, result.MaxDiffOverScale);
    }

    [Fact]
    public void MaxDiffOverScale_IsTheLargestDifferenceOverTheLargestOutput()
    {
        var comparison = new OutputComparison("y", MaxAbsDiff: 3e-5, MaxRelDiff: 1e-3, Within: true, MaxAbsBefore: 12);

        Assert.Equal(2.5e-6, comparison.MaxDiffOverScale, 12);
    }

    [Fact]
    public void FoldThatForgetsEpsilon_IsCaught_NamingPassAndTensor()
    {
        var pipeline = new FusionPipeline([new FoldForgettingEpsilon()]);

        var error = Assert.Throws<PassVerificationException>(() => pipeline.Run(ConvBn(epsilon: 0.5f)));

        Assert.Equal("fold-conv-bn-without-epsilon", error.Pass);
        Assert.Equal("y", error.Comparison.Output);
        Assert.Contains("'fold-conv-bn-without-epsilon'", error.Message);
        Assert.Contains("'y'", error.Message);
        Assert.True(error.Comparison.MaxRelDiff > 1e-2);
    }

    [Fact]
    public void FusionThatDropsTheBias_IsCaught()
    {
        var random = new Random(1);
        var model = Model.FromBytes(new OnnxGraphBuilder("dense")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Initializer("B", Uniform(random, 12), 4, 3)
            .Initializer("c", Uniform(random, 3), 3)
            .Node("MatMul", ["x", "B"], ["m"], name: "matmul")
            .Node("Add", ["m", "c"], ["logits"], name: "add")
            .Output("logits", OnnxElementType.Float, -1, 3).ToBytes(), "dense");

        var error = Assert.Throws<PassVerificationException>(() => new FusionPipeline([new FuseDroppingBias()]).Run(model));

        Assert.Equal("fuse-matmul-drop-bias", error.Pass);
        Assert.Equal("logits", error.Comparison.Output);
        Assert.False(error.Comparison.Within);
    }

    [Fact]
    public void RealInputs_AreFedToo()
    {
        var model = ConvBn();
        var (_, after, _) = Apply(new ConvBatchNormFolding(), model);
        float[] image = Uniform(new Random(9), 1 * 3 * 8 * 8, 0, 1);

        var result = EquivalenceCheck.Verify("fold-conv-bn", model, after, realInputs: [[new EquivalenceInput("x", image, [1, 3, 8, 8])]]);

        Assert.Equal(2, result.Runs);
        Assert.True(result.MaxRelDiff < 1e-3);
    }
}
