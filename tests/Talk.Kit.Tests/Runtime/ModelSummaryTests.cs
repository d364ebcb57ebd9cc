using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Tests.Models;

namespace Talk.Kit.Tests.Runtime;

public class ModelSummaryTests
{
    private static readonly Model lenet5 = Model.FromBytes(TestNets.LeNet5(), "lenet5");
    private static readonly Model lenet300 = Model.FromBytes(TestNets.LeNet300100(), "lenet300100");

    [Fact]
    public void LeNet5_Totals_MatchTheHandCount()
    {
        var s = ModelSummary.Of(lenet5, threads: 1);

        // Parameters: conv1 6·1·25+6 = 156; conv2 16·6·25+16 = 2,416; fc1 400·120+120 = 48,120; fc2 120·84+84 = 10,164;
        // fc3 84·10+10 = 850 → 61,706, all float32 → 246,824 B.
        Assert.Equal(61_706, s.Totals.Parameters);
        Assert.Equal(61_706 * 4, s.Totals.WeightBytes);
        // MACs = N·Cout·Hout·Wout·(Cin/group)·kh·kw for convs, M·N·K for Gemm:
        // conv1 6·28·28·25 = 117,600; conv2 16·10·10·150 = 240,000; fc 48,000 + 10,080 + 840 → 416,520 at batch 1.
        Assert.Equal(416_520, s.Totals.Macs);
        // FLOPs = 2·MACs + elementwise: conv biases 4,704 + 1,600; Relus 4,704 + 1,600 + 120 + 84; MaxPools |Y|·4 = 4,704 + 1,600;
        // Gemm biases 120 + 84 + 10 → 833,040 + 19,330 = 852,370.
        Assert.Equal(852_370, s.Totals.Flops);
        // Activations (float32): c1, r1 18,816 B each; p1 4,704; c2, r2 6,400; p2, f 1,600; fc1 y, r 480; fc2 y, r 336; fc3 40 → 60,008 B.
        Assert.Equal(60_008, s.Totals.TotalActivationBytes);
        // Peak: during relu1 its input c1 and output r1 are both alive: 2·18,816 = 37,632 B (x was freed after conv1).
        Assert.Equal(37_632, s.Totals.PeakActivationBytes);
        Assert.Empty(s.Totals.UncountedOps);
    }

    [Fact]
    public void LeNet5_EveryNode_HasTheShapesOnnxRuntimeComputed()
    {
        var s = ModelSummary.Of(lenet5, threads: 1);

        Assert.Equal(12, s.Nodes.Count);
        Assert.Equal([TensorShape.Of(1, 1, 28, 28), TensorShape.Of(6, 1, 5, 5), TensorShape.Of(6)], s["conv1"].InputShapes);
        Assert.Equal(TensorShape.Of(1, 6, 28, 28), s["conv1"].OutputShapes[0]);   // pad 2 keeps 28×28
        Assert.Equal(TensorShape.Of(1, 6, 14, 14), s["pool1"].OutputShapes[0]);
        Assert.Equal(TensorShape.Of(1, 16, 10, 10), s["conv2"].OutputShapes[0]);  // 14 − 5 + 1 = 10
        Assert.Equal(TensorShape.Of(1, 16, 5, 5), s["pool2"].OutputShapes[0]);
        Assert.Equal(TensorShape.Of(1, 400), s["flatten"].OutputShapes[0]);
        Assert.Equal(TensorShape.Of(1, 120), s["fc1"].OutputShapes[0]);
        Assert.Equal(TensorShape.Of(1, 10), s["fc3"].OutputShapes[0]);
        Assert.Equal(TensorShape.Of(1, 10), Assert.Single(s.Outputs).Shape);

        Assert.Equal([117_600, 0, 0, 240_000, 0, 0, 0, 48_000, 0, 10_080, 0, 840], s.Nodes.Select(n => n.Macs));
        Assert.Equal([156, 0, 0, 2_416, 0, 0, 0, 48_120, 0, 10_164, 0, 850], s.Nodes.Select(n => n.Parameters));
        Assert.Equal(6 * 28 * 28 * 4, s["conv1"].ActivationBytes);
        Assert.Equal(156 * 4, s["conv1"].WeightBytes);
        Assert.Equal("Conv", s["conv1"].OpType);
    }

    [Fact]
    public void Batch4_ScalesWorkAndActivationsByFour_NotParameters()
    {
        var one = ModelSummary.Of(lenet5, batch: 1, threads: 1);
        var four = ModelSummary.Of(lenet5, batch: 4, threads: 1);

        Assert.Equal(4, four.Batch);
        Assert.Equal(TensorShape.Of(4, 1, 28, 28), Assert.Single(four.Inputs).Shape);
        Assert.Equal(TensorShape.Of(4, 6, 28, 28), four["conv1"].OutputShapes[0]);
        Assert.Equal(4 * 416_520, four.Totals.Macs);
        Assert.Equal(4 * one.Totals.Flops, four.Totals.Flops);
        Assert.Equal(4 * one.Totals.PeakActivationBytes, four.Totals.PeakActivationBytes);
        Assert.Equal(one.Totals.Parameters, four.Totals.Parameters);
    }

    [Fact]
    public void LeNet300100_Totals_MatchTheHandCount()
    {
        var s = ModelSummary.Of(lenet300, threads: 1);

        // 784·300+300 = 235,500; 300·100+100 = 30,100; 100·10+10 = 1,010 → 266,610 parameters.
        Assert.Equal(266_610, s.Totals.Parameters);
        // 784·300 + 300·100 + 100·10 = 235,200 + 30,000 + 1,000 = 266,200 MACs.
        Assert.Equal(266_200, s.Totals.Macs);
        // 2·266,200 + biases 410 + Relus 400 = 533,210 FLOPs.
        Assert.Equal(533_210, s.Totals.Flops);
        // Peak: during Flatten x[1,1,28,28] and f[1,784] are both alive: 2·3,136 B.
        Assert.Equal(6_272, s.Totals.PeakActivationBytes);
        Assert.Equal(TensorShape.Of(1, 784), s["flatten"].OutputShapes[0]);
        Assert.Equal(OpCost.Free, s["flatten"].Cost);
    }

    [Fact]
    public void FixedBatchModel_IsSummarizedAtItsBatch()
    {
        var model = Model.FromBytes(TestNets.FixedBatchResidual(), "residual");

        var s = ModelSummary.Of(model, threads: 1);

        // Params: conv a 4·3·9 = 108, conv b 4·4·9 = 144, two BatchNorms 4 tensors × 4 = 16 each → 284.
        Assert.Equal(284, s.Totals.Parameters);
        // MACs: conv a 4·8·8·27 = 6,912; conv b 4·8·8·36 = 9,216 → 16,128.
        Assert.Equal(16_128, s.Totals.Macs);
        // FLOPs: 2·16,128 + BN 2·256 ·2 + Relu 256 ·2 + Add 256 + MaxPool 64·4 + AveragePool 4·16 = 32,256 + 2,112 = 34,368.
        Assert.Equal(34_368, s.Totals.Flops);
        Assert.Equal(TensorShape.Of(1, 4, 1, 1), Assert.Single(s.Outputs).Shape);
        Assert.Equal(TensorShape.Of(1, 4, 4, 4), s["maxpool"].OutputShapes[0]);
    }

    [Fact]
    public void FixedBatchModel_AtAnotherBatch_IsAClearError()
    {
        var model = Model.FromBytes(TestNets.FixedBatchResidual(), "residual");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelSummary.Of(model, batch: 4));

        Assert.Contains("Model 'residual' has input x: float[1,3,8,8] with a fixed batch of 1", error.Message);
        Assert.Contains("use batch 1, or make its batch dimension symbolic first", error.Message);
    }

    [Fact]
    public void BatchBelowOne_IsAClearError() =>
        Assert.Contains("Batch must be at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => ModelSummary.Of(lenet5, batch: 0)).Message);

    [Fact]
    public void Summary_LeavesTheModelAsItWas()
    {
        string before = lenet5.Fingerprint;

        var s = ModelSummary.Of(lenet5, threads: 1);

        Assert.Equal(before, lenet5.Fingerprint);
        Assert.Equal(before, s.Fingerprint);
        Assert.Single(lenet5.ToProto().Graph.Output);
    }

    [Fact]
    public void SymbolicDimensionsOtherThanBatch_TakeTheGivenValues()
    {
        // y = x·W with x[batch, features]: naming "features" fixes K, the batch gives M.
        var model = Model.FromBytes(new OnnxGraphBuilder("mm")
            .Input("x", OnnxElementType.Float, -1, 8)
            .Initializer("W", new float[8 * 3], 8, 3)
            .Node("MatMul", ["x", "W"], ["y"], name: "mm")
            .Output("y", OnnxElementType.Float, -1, 3)
            .ToBytes(), "mm");

        var s = ModelSummary.Of(model, batch: 5, threads: 1);

        Assert.Equal(TensorShape.Of(5, 3), s["mm"].OutputShapes[0]);
        Assert.Equal(5 * 3 * 8, s.Totals.Macs);
    }

    [Fact]
    public void TextForm_LeadsWithTheTotals_AndListsEveryNode()
    {
        string text = ModelSummary.Of(lenet5, threads: 1).ToString();

        Assert.StartsWith("lenet5 at batch 1: 61,706 parameters (246,824 B), 416,520 MACs, 852,370 FLOPs", text);
        Assert.Contains("conv1", text);
        Assert.Contains("[1,6,28,28]", text);
        Assert.Contains("fc3", text);
    }
}
