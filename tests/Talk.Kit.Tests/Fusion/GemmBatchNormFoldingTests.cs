using Google.Protobuf;
using Onnx;
using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class GemmBatchNormFoldingTests
{
    private readonly GemmBatchNormFolding pass = new();

    /// <summary>The bias C of the Gemm: absent, one value, [N] or [1,N].</summary>
    public enum Bias { None, Scalar, Vector, Row }

    /// <summary>x[N,6] → Gemm 6→4 (B [6,4], or [4,6] with transB; α, β; C) → BatchNormalization(ε) → Relu → y.</summary>
    private static Model GemmBn(bool transB = true, Bias bias = Bias.Vector, float alpha = 1, float beta = 1, float epsilon = 1e-3f)
    {
        var random = new Random(21);
        var b = new OnnxGraphBuilder("gemm-bn")
            .Input("x", OnnxElementType.Float, -1, 6)
            .Initializer("B", Uniform(random, 24), transB ? [4, 6] : [6, 4]);
        long[]? cDims = bias switch { Bias.Scalar => [1], Bias.Vector => [4], Bias.Row => [1, 4], _ => null };
        if (cDims is not null)
            b.Initializer("C", Uniform(random, (int)cDims[^1]), cDims);
        var attributes = Attrs(("transB", transB ? 1L : 0L));
        if (alpha != 1) attributes["alpha"] = alpha;
        if (beta != 1) attributes["beta"] = beta;
        b.BatchNormParameters(random, "bn", 4)
            .Node("Gemm", cDims is null ? ["x", "B"] : ["x", "B", "C"], ["g"], attributes, "fc")
            .Node("BatchNormalization", BatchNormInputs("g", "bn"), ["n"], Attrs(("epsilon", epsilon)), "bn")
            .Node("Relu", ["n"], ["y"], name: "relu")
            .Output("y", OnnxElementType.Float, -1, 4);
        return Model.FromBytes(b.ToBytes(), "gemm-bn");
    }

    /// <summary>x[inputDims] → MatMul(B [6,4]) → BatchNormalization → y: Linear(bias=False) + BatchNorm1d as PyTorch exports it.</summary>
    private static Model MatMulBn(params long[] inputDims)
    {
        var random = new Random(22);
        return Model.FromBytes(new OnnxGraphBuilder("matmul-bn")
            .Input("x", OnnxElementType.Float, inputDims)
            .Initializer("B", Uniform(random, 24), 6, 4)
            .BatchNormParameters(random, "bn", 4)
            .Node("MatMul", ["x", "B"], ["m"], name: "fc")
            .Node("BatchNormalization", BatchNormInputs("m", "bn"), ["y"], name: "bn")
            .Output("y", OnnxElementType.Float, [.. inputDims[..^1], 4]).ToBytes(), "matmul-bn");
    }

    [Fact]
    public void GemmThenBn_FoldsIntoOneGemm_WritingTheBnOutput()
    {
        var (result, after, graph) = Apply(pass, GemmBn(alpha: 0.5f, beta: 2f));

        Assert.Equal(["Gemm", "Relu"], Ops(graph));
        var gemm = graph.Graph.Node[0];
        Assert.Equal(["x", "B.bnfold", "C.bnfold"], gemm.Input);
        Assert.Equal(["n"], gemm.Output);
        Assert.Equal(["transB"], gemm.Attribute.Select(a => a.Name)); // α and β folded: the defaults hold
        Assert.Equal(["B.bnfold", "C.bnfold"], Initializers(graph));   // old B, C and the four BN tensors have no reader left
        Assert.Equal([4L], graph.Graph.Initializer.Single(t => t.Name == "C.bnfold").Dims);
        Assert.Single(result.Of(PassChangeKind.NodeRemoved), c => c.Name == "bn");
        Assert.Equal(6, result.Of(PassChangeKind.InitializerRemoved).Count());
        Assert.True(EquivalenceCheck.Verify(pass.Name, GemmBn(alpha: 0.5f, beta: 2f), after).Equivalent);
    }

    [Theory]
    [InlineData(true, Bias.Vector, 1f, 1f)]
    [InlineData(false, Bias.Vector, 1f, 1f)]
    [InlineData(false, Bias.None, 1f, 1f)]
    [InlineData(true, Bias.Scalar, 1f, 0.5f)]
    [InlineData(false, Bias.Row, 2f, 3f)]
    [InlineData(true, Bias.None, 0.25f, 1f)]
    public void AnyTransB_Bias_AlphaBeta_OutputsStayEqual(bool transB, Bias bias, float alpha, float beta)
    {
        var model = GemmBn(transB, bias, alpha, beta);

        var (result, after, graph) = Apply(pass, model);

        Assert.True(result.Changed);
        Assert.Equal(["Gemm", "Relu"], Ops(graph));
        Assert.Equal([transB ? 4L : 6, transB ? 6L : 4], graph.Graph.Initializer.Single(t => t.Name == "B.bnfold").Dims);
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void FoldedWeights_FollowTheFormula()
    {
        var before = GemmBn(transB: false, alpha: 0.5f, beta: 2f, epsilon: 0.25f).ToProto();
        var (_, _, graph) = Apply(pass, GemmBn(transB: false, alpha: 0.5f, beta: 2f, epsilon: 0.25f));

        float[] b = Floats(before, "B"), c = Floats(before, "C");
        float[] gamma = Floats(before, "bn.gamma"), beta = Floats(before, "bn.beta"), mean = Floats(before, "bn.mean"), variance = Floats(before, "bn.var");
        float[] b2 = Floats(graph, "B.bnfold"), c2 = Floats(graph, "C.bnfold");
        for (int n = 0; n < 4; n++)
        {
            double s = gamma[n] / Math.Sqrt(variance[n] + 0.25);
            Assert.Equal((2 * c[n] - mean[n]) * s + beta[n], c2[n], 1e-5);
            for (int k = 0; k < 6; k++)
                Assert.Equal(0.5 * s * b[k * 4 + n], b2[k * 4 + n], 1e-5); // B is [K,N]: column n
        }
    }

    [Fact]
    public void MatMulOfAMatrixThenBn_BecomesOneGemm()
    {
        var model = MatMulBn(-1, 6);

        var (result, after, graph) = Apply(pass, model);

        var gemm = Assert.Single(graph.Graph.Node);
        Assert.Equal("Gemm", gemm.OpType);
        Assert.Equal(["x", "B.bnfold", "fc.bias.bnfold"], gemm.Input);
        Assert.Equal(["y"], gemm.Output);
        Assert.Contains(result.Changes, c => c.Kind == PassChangeKind.NodeRewritten && c.Detail.StartsWith("MatMul → Gemm"));
        EquivalenceCheck.Verify(pass.Name, model, after);
    }

    [Fact]
    public void BatchedMatMul_IsLeftAlone()
    {
        // x[N,3,6]: BN's channel is axis 1 (the 3), not MatMul's output column: no B′ can absorb it.
        var proto = MatMulBn(-1, 3, 6).ToProto();

        var result = pass.Apply(proto);

        Assert.False(result.Changed);
        Assert.Equal(["MatMul", "BatchNormalization"], Ops(proto));
    }

    [Fact]
    public void GemmOutputReadBySomethingElse_IsLeftAlone()
    {
        var shared = GemmBn().ToProto();
        shared.Graph.Node.Add(new NodeProto { OpType = "Sigmoid", Name = "other", Input = { "g" }, Output = { "s" } });
        shared.Graph.Output.Add(new ValueInfoProto { Name = "s", Type = shared.Graph.Output[0].Type });

        var result = pass.Apply(shared);

        Assert.False(result.Changed);
        Assert.Equal(["Gemm", "BatchNormalization", "Relu", "Sigmoid"], Ops(shared));
    }

    [Fact]
    public void GemmOutputIsAGraphOutput_IsLeftAlone()
    {
        var proto = GemmBn().ToProto();
        proto.Graph.Output.Add(new ValueInfoProto { Name = "g", Type = proto.Graph.Output[0].Type });

        var result = pass.Apply(proto);

        Assert.False(result.Changed);
        Assert.Equal(["Gemm", "BatchNormalization", "Relu"], Ops(proto));
    }

    [Fact]
    public void BatchNormAfterConv_IsNotThisPassesBusiness()
    {
        var (result, _, graph) = Apply(pass, ConvBn());

        Assert.False(result.Changed);
        Assert.Equal(["Conv", "BatchNormalization", "Relu"], Ops(graph));
    }

    [Fact]
    public void LeNet5WithBatchNorm1d_FoldsBothAndThePipelineEndsInFusedGemms()
    {
        // LeNet-5 with BatchNorm1d after fc1 and fc2 (Linear → BN → ReLU), as an MLP head with BN would be trained.
        var model = LeNet5WithBatchNorm1d();

        var (_, after, graph) = Apply(pass, model);
        var (fused, report) = FusionPipeline.Default.Run(model);

        Assert.DoesNotContain("BatchNormalization", Ops(graph));
        Assert.True(EquivalenceCheck.Verify(pass.Name, model, after).Equivalent);
        Assert.Contains("fold-gemm-bn", report.Applications.Select(a => a.Pass));
        Assert.Equal(["FusedConv", "MaxPool", "FusedConv", "MaxPool", "Flatten", "FusedGemm", "FusedGemm", "Gemm"], Ops(fused.ToProto())); // fc1, fc2: Gemm+BN+Relu → one FusedGemm
        Assert.True(report.EndToEnd!.Equivalent);
    }

    private static Model LeNet5WithBatchNorm1d()
    {
        var proto = ModelProto.Parser.ParseFrom(Models.TestNets.LeNet5());
        var random = new Random(23);
        foreach (var (fc, width) in new[] { ("fc1", 120), ("fc2", 84) })
        {
            foreach (var (suffix, low, high) in new[] { ("gamma", 0.5f, 2f), ("beta", -1f, 1f), ("mean", -1f, 1f), ("var", 0.1f, 3f) })
                proto.Graph.Initializer.Add(GraphEdit.FloatTensor($"{fc}.bn.{suffix}", Uniform(random, width, low, high), [width]));
            var gemm = proto.Graph.Node.Single(n => n.Name == fc);
            var bn = new NodeProto { OpType = "BatchNormalization", Name = $"{fc}.bn", Input = { BatchNormInputs($"{fc}.y", $"{fc}.bn") }, Output = { $"{fc}.n" } };
            proto.Graph.Node.Insert(proto.Graph.Node.IndexOf(gemm) + 1, bn);
            proto.Graph.Node.Single(n => n.Name == $"{fc}.relu").Input[0] = $"{fc}.n";
        }
        return Model.FromBytes(proto.ToByteArray(), "lenet5-bn1d");
    }
}
