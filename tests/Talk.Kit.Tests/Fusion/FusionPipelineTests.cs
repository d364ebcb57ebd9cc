using Talk.Kit.Fusion;
using Talk.Kit.Models;
using static Talk.Kit.Tests.Fusion.FusionGraphs;

namespace Talk.Kit.Tests.Fusion;

public sealed class FusionPipelineTests
{
    [Fact]
    public void SmallCnn_FoldsEveryBatchNorm_OutputsStayEqual()
    {
        var model = SmallCnn();

        var (fused, report) = FusionPipeline.Default.Run(model);

        Assert.Equal(2, report.OpCountsBefore["BatchNormalization"]);
        Assert.False(fused.OpTypeCounts.ContainsKey("BatchNormalization"));
        Assert.Equal(["FusedConv", "FusedConv", "GlobalAveragePool", "Flatten", "Gemm"], Ops(fused.ToProto())); // Conv+BN+Relu → one FusedConv
        Assert.Equal(6, fused.InitializerCount); // two folded weights, two folded biases, fc.w, fc.b
        Assert.True(report.EndToEnd!.Equivalent);
        Assert.All(report.Applications, a => Assert.True(a.Equivalence.Equivalent));
        Assert.True(report.ReachedFixedPoint);
        var again = EquivalenceCheck.Verify("fuse", model, fused);
        Assert.True(again.MaxRelDiff <= 1e-4 || again.MaxAbsDiff <= 1e-5, again.ToString());
    }

    [Fact]
    public void Result_IsANewModel_WithOneFuseStep()
    {
        var model = SmallCnn();

        var (fused, _) = FusionPipeline.Default.Run(model);

        Assert.Empty(model.Lineage.Steps);
        Assert.Equal(9, model.NodeCount); // the input is a value: unchanged
        var step = Assert.Single(fused.Lineage.Steps);
        Assert.Equal("fuse", step.Pass);
        Assert.Contains("fold-conv-bn", step.Parameters["passes"]);
    }

    [Fact]
    public void LeNet5_ReluAfterConvAndGemm_IsFused_OutputsStayEqual()
    {
        var (fused, report) = FusionPipeline.Default.Run(Model.FromBytes(Models.TestNets.LeNet5(), "lenet5"));

        Assert.True(report.EndToEnd!.Equivalent);
        Assert.Contains("fuse-activation", report.Applications.Select(a => a.Pass));
        Assert.True(fused.NodeCount < 12);
    }

    [Fact]
    public void Pipeline_IsIdempotent()
    {
        var (once, _) = FusionPipeline.Default.Run(SmallCnn());

        var (twice, report) = FusionPipeline.Default.Run(once);

        Assert.False(report.Changed);
        Assert.Null(report.EndToEnd);
        Assert.Equal(1, report.Iterations);
        Assert.Equal(once.OpTypeCounts, twice.OpTypeCounts);
        Assert.Equal(once.ToProto().Graph, twice.ToProto().Graph);
    }

    [Fact]
    public void PassesFeedEachOther_UntilAFixedPoint()
    {
        // x → Dropout → d → MatMul → Add → Identity → y, plus an unread Sigmoid: four passes, all needed.
        var random = new Random(4);
        var model = Model.FromBytes(new OnnxGraphBuilder("chain")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Initializer("B", Uniform(random, 12), 4, 3)
            .Initializer("c", Uniform(random, 3), 3)
            .Node("Relu", ["x"], ["r"], name: "relu")
            .Node("Dropout", ["r"], ["d"], name: "dropout")
            .Node("MatMul", ["d", "B"], ["m"], name: "matmul")
            .Node("Add", ["m", "c"], ["a"], name: "add")
            .Node("Identity", ["a"], ["y"], name: "identity")
            .Node("Sigmoid", ["x"], ["unused"], name: "sigmoid")
            .Output("y", OnnxElementType.Float, -1, 3).ToBytes(), "chain");

        var (fused, report) = FusionPipeline.Default.Run(model);

        Assert.Equal(["Relu", "Gemm"], Ops(fused.ToProto()));
        Assert.Equal("y", fused.Outputs.Single().Name);
        Assert.Equal(["eliminate-identity", "fuse-matmul-add", "eliminate-dead-nodes"], report.Applications.Select(a => a.Pass));
        Assert.Equal(6, report.NodesBefore);
        Assert.Equal(2, report.NodesAfter);
    }

    [Fact]
    public void TransposeRoundTrip_ThenMatMulBnRelu_BecomesOneFusedGemm()
    {
        // x → Transpose → Transpose (a round trip) → MatMul → BatchNorm1d → Relu: the shape pass exposes MatMul's rank-2
        // input, Gemm-BN folding makes a Gemm, activation fusion takes the Relu.
        var random = new Random(9);
        var model = Model.FromBytes(new OnnxGraphBuilder("round-trip")
            .Input("x", OnnxElementType.Float, -1, 4)
            .Initializer("B", Uniform(random, 12), 4, 3)
            .BatchNormParameters(random, "bn", 3)
            .Node("Transpose", ["x"], ["t1"], Attrs(("perm", new long[] { 1, 0 })), "t1")
            .Node("Transpose", ["t1"], ["t2"], Attrs(("perm", new long[] { 1, 0 })), "t2")
            .Node("MatMul", ["t2", "B"], ["m"], name: "fc")
            .Node("BatchNormalization", BatchNormInputs("m", "bn"), ["n"], name: "bn")
            .Node("Relu", ["n"], ["y"], name: "relu")
            .Output("y", OnnxElementType.Float, -1, 3).ToBytes(), "round-trip");

        var (fused, report) = FusionPipeline.Default.Run(model);

        Assert.Equal(["FusedGemm"], Ops(fused.ToProto()));
        Assert.Equal(["simplify-reshape-transpose", "fold-gemm-bn", "fuse-activation"], report.Applications.Select(a => a.Pass));
        Assert.True(report.EndToEnd!.Equivalent);
    }

    [Fact]
    public void PassNames_ListTheDefaultPipelineInOrder()
    {
        Assert.Equal(["eliminate-identity", "fold-constants", "simplify-reshape-transpose", "fold-conv-bn", "fold-gemm-bn", "fold-bias",
            "fuse-matmul-add", "fuse-activation", "eliminate-dead-nodes"], FusionStudy.PassNames);
    }

    [Fact]
    public void NothingToFuse_ReportsNoChange()
    {
        // x → Conv → Sigmoid → y: no BN, no bias Add, no Relu/Clip, nothing constant to fold.
        var random = new Random(12);
        var model = Model.FromBytes(new OnnxGraphBuilder("conv-sigmoid")
            .Input("x", OnnxElementType.Float, -1, 3, 8, 8)
            .Initializer("w", Uniform(random, 4 * 3 * 3 * 3), 4, 3, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], Attrs(("kernel_shape", new long[] { 3, 3 })), "conv")
            .Node("Sigmoid", ["c"], ["y"], name: "sigmoid")
            .Output("y", OnnxElementType.Float, -1, 4, 6, 6).ToBytes(), "conv-sigmoid");

        var (fused, report) = FusionPipeline.Default.Run(model);

        Assert.False(report.Changed);
        Assert.Equal(2, fused.NodeCount);
        Assert.Contains("nothing to fuse", report.ToString());
    }

    [Fact]
    public void ConvBnThenPerChannelAdd_BecomesOneConv()
    {
        var proto = ConvBn().ToProto();
        var random = new Random(8);
        proto.Graph.Initializer.Add(new Onnx.TensorProto { Name = "k", DataType = 1, Dims = { 1, 4, 1, 1 },
            RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Uniform(random, 4).AsSpan())) });
        proto.Graph.Node.Insert(2, new Onnx.NodeProto { OpType = "Add", Name = "add", Input = { "n", "k" }, Output = { "a" } });
        proto.Graph.Node[3].Input[0] = "a";
        var model = ConvBn().With(proto, LineageStep.Now("test"));

        var (fused, report) = FusionPipeline.Default.Run(model);

        Assert.DoesNotContain("BatchNormalization", Ops(fused.ToProto()));
        Assert.DoesNotContain("Add", Ops(fused.ToProto()));
        Assert.Contains("fold-bias", report.Applications.Select(a => a.Pass));
        Assert.True(report.EndToEnd!.Equivalent);
    }
}
