using Talk.Kit.Training.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Export;

/// <summary>
/// Each supported module type, exported on its own in a small net, gives ONNX Runtime outputs within 1e-4 of
/// TorchSharp's at batch 1 and 3, and becomes the ONNX operators the exporter promises.
/// </summary>
[Collection(TorchCollection.Name)]
public class ModuleExportTests
{
    private sealed record Case(Func<nn.Module<Tensor, Tensor>> Create, long[] InputShape, string[] Ops, float InputScale = 1f);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["linear"] = new(() => nn.Linear(12, 5), [12], ["Gemm"]),
        ["linear without bias"] = new(() => nn.Linear(12, 5, hasBias: false), [12], ["Gemm"]),
        ["conv2d"] = new(() => nn.Conv2d(3, 4, kernel_size: 3), [3, 8, 8], ["Conv"]),
        ["conv2d stride 2, padding 1, no bias"] = new(() => nn.Conv2d(3, 4, kernel_size: 3, stride: 2, padding: 1, bias: false), [3, 9, 9], ["Conv"]),
        ["conv2d rectangular kernel, stride, padding, dilation"] = new(
            () => nn.Conv2d(3, 4, kernel_size: (3, 5), stride: (2, 1), padding: (1, 2), dilation: (2, 1)), [3, 11, 10], ["Conv"]),
        ["conv2d padding same, even kernel (asymmetric pads)"] = new(() => nn.Conv2d(3, 4, kernel_size: 4, padding: Padding.Same), [3, 7, 7], ["Conv"]),
        ["conv2d groups 2"] = new(() => nn.Conv2d(4, 6, kernel_size: 3, padding: 1, groups: 2), [4, 8, 8], ["Conv"]),
        ["conv2d depthwise stride 2"] = new(() => nn.Conv2d(4, 4, kernel_size: 3, stride: 2, padding: 1, groups: 4, bias: false), [4, 8, 8], ["Conv"]),
        ["batchnorm2d with set statistics"] = new(BatchNormWithSetStatistics, [3, 6, 6], ["Conv", "BatchNormalization"]),
        ["batchnorm2d with trained statistics"] = new(BatchNormWithTrainedStatistics, [3, 6, 6], ["Conv", "BatchNormalization", "Relu"]),
        ["relu"] = new(() => nn.Sequential(("conv", nn.Conv2d(3, 4, kernel_size: 3)), ("relu", nn.ReLU())), [3, 6, 6], ["Conv", "Relu"]),
        // Inputs ×10 so that many activations lie above 6 and below 0: both ends of the clip are exercised.
        ["relu6"] = new(() => nn.Sequential(("conv", nn.Conv2d(3, 4, kernel_size: 3)), ("relu6", nn.ReLU6())), [3, 6, 6], ["Conv", "Clip"], InputScale: 10f),
        ["maxpool2d"] = new(() => nn.MaxPool2d(kernel_size: 2), [3, 8, 8], ["MaxPool"]),
        ["maxpool2d kernel 3, stride 2, padding 1"] = new(() => nn.MaxPool2d(kernel_size: 3, stride: 2, padding: 1), [3, 9, 9], ["MaxPool"]),
        ["maxpool2d ceil mode"] = new(() => nn.MaxPool2d(kernel_size: 2, ceil_mode: true), [3, 7, 7], ["MaxPool"]),
        ["avgpool2d"] = new(() => nn.AvgPool2d(kernel_size: 2), [3, 8, 8], ["AveragePool"]),
        ["avgpool2d padding counted"] = new(() => nn.AvgPool2d(kernel_size: 3, stride: 2, padding: 1, count_include_pad: true), [3, 9, 9], ["AveragePool"]),
        ["avgpool2d padding not counted"] = new(() => nn.AvgPool2d(kernel_size: 3, stride: 2, padding: 1, count_include_pad: false), [3, 9, 9], ["AveragePool"]),
        ["avgpool2d ceil mode"] = new(() => nn.AvgPool2d(kernel_size: 2, ceil_mode: true), [3, 7, 7], ["AveragePool"]),
        ["adaptiveavgpool2d 1"] = new(() => nn.AdaptiveAvgPool2d(1), [3, 5, 5], ["GlobalAveragePool"]),
        ["flatten"] = new(() => nn.Flatten(), [3, 4, 4], ["Flatten"]),
        ["dropout"] = new(() => nn.Sequential(("fc1", nn.Linear(12, 8)), ("dropout", nn.Dropout(0.5)), ("fc2", nn.Linear(8, 3))), [12], ["Gemm", "Gemm"]),
        ["inverted residual with Add"] = new(() => InvertedResidual.Create(8, 8, stride: 1, expansion: 6), [8, 6, 6],
            ["Conv", "BatchNormalization", "Clip", "Conv", "BatchNormalization", "Clip", "Conv", "BatchNormalization", "Add"]),
        ["inverted residual without Add (stride 2)"] = new(() => InvertedResidual.Create(8, 16, stride: 2, expansion: 6), [8, 6, 6],
            ["Conv", "BatchNormalization", "Clip", "Conv", "BatchNormalization", "Clip", "Conv", "BatchNormalization"]),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Module_ExportsToTheExpectedOps_AndMatchesTorchSharp_AtBatch1And3(string name)
    {
        var @case = Cases[name];
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var net = @case.Create();
        var model = ExportAssert.ExportsEquivalently(net, @case.InputShape, @case.InputScale);
        Assert.Equal(@case.Ops, ExportAssert.OpTypes(model));
    }

    [Fact]
    public void Dropout_LeavesNoNode_AndIsNotedInTheDocString()
    {
        using var scope = NewDisposeScope();
        var model = ExportAssert.ExportsEquivalently(Cases["dropout"].Create(), [12]);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Dropout");
        Assert.Contains("'dropout'", model.Graph.DocString);
    }

    [Fact]
    public void Relu6Test_ReallyReachesBothEndsOfTheClip()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var conv = nn.Conv2d(3, 4, kernel_size: 3);
        using var noGrad = no_grad();
        var y = conv.forward(tensor(ExportAssert.Inputs([1, 3, 6, 6], seed: 1, scale: 10f), [1, 3, 6, 6]));
        Assert.True(y.max().item<float>() > 6f);
        Assert.True(y.min().item<float>() < 0f);
    }

    [Fact]
    public void BatchNormTest_HasStatisticsFarFromTheirDefaults()
    {
        using var scope = NewDisposeScope();
        var bn = (BatchNorm2d)((Sequential)BatchNormWithTrainedStatistics()).named_children().Single(c => c.name == "bn").module;
        Assert.True(bn.running_mean!.abs().max().item<float>() > 0.1f);
        Assert.True((bn.running_var! - 1).abs().max().item<float>() > 0.1f);
    }

    /// <summary>Conv then BatchNorm whose γ, β, μ, σ² and ε are all set away from 1, 0, 0, 1 and 1e-5.</summary>
    private static nn.Module<Tensor, Tensor> BatchNormWithSetStatistics()
    {
        var bn = nn.BatchNorm2d(4, eps: 1e-3);
        using (no_grad())
        {
            bn.running_mean!.copy_(tensor(new[] { 0.5f, -1f, 2f, 0.1f }));
            bn.running_var!.copy_(tensor(new[] { 0.25f, 4f, 1.5f, 0.01f }));
            bn.weight!.copy_(tensor(new[] { 1.5f, -0.5f, 2f, 0.3f }));
            bn.bias!.copy_(tensor(new[] { 0.2f, -0.7f, 0f, 1.1f }));
        }
        return nn.Sequential(("conv", nn.Conv2d(3, 4, kernel_size: 3)), ("bn", bn));
    }

    /// <summary>Conv, BatchNorm, ReLU after 5 SGD steps on shifted inputs: running statistics move off 0 and 1.</summary>
    private static nn.Module<Tensor, Tensor> BatchNormWithTrainedStatistics()
    {
        var net = nn.Sequential(("conv", nn.Conv2d(3, 4, kernel_size: 3)), ("bn", nn.BatchNorm2d(4)), ("relu", nn.ReLU()));
        net.train();
        var optimizer = optim.SGD(net.parameters(), learningRate: 0.1);
        for (int step = 0; step < 5; step++)
        {
            using var stepScope = NewDisposeScope();
            var x = tensor(ExportAssert.Inputs([8, 3, 6, 6], seed: 100 + step, scale: 3f), [8, 3, 6, 6]) + 2f;
            optimizer.zero_grad();
            var loss = net.forward(x).square().mean();
            loss.backward();
            optimizer.step();
        }
        return net;
    }
}
