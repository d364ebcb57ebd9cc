using Onnx;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Networks;

/// <summary>Every catalogue network exports to the ONNX it should, and ONNX Runtime agrees with TorchSharp.</summary>
[Collection(TorchCollection.Name)]
public class NetworkExportTests
{
    [Fact]
    public void Lenet300100_IsFlattenAndThreeGemms()
    {
        var model = Export("lenet-300-100");
        Assert.Equal(["Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm"], ExportAssert.OpTypes(model));
    }

    [Fact]
    public void Lenet5_IsTwoConvPoolStages_ThenThreeGemms()
    {
        var model = Export("lenet-5");
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm"], ExportAssert.OpTypes(model));
        Assert.Equal([2L, 2, 2, 2], Attribute(model, "features.conv1", "pads").Ints);
    }

    [Fact]
    public void VggBn_KeepsEveryBatchNormAsItsOwnNode_AndDropsDropout()
    {
        var model = Export("vgg-bn", trainSteps: 3);
        var ops = ExportAssert.OpTypes(model);
        Assert.Equal(6, ops.Count(o => o == "Conv"));
        Assert.Equal(6, ops.Count(o => o == "BatchNormalization"));
        Assert.Equal(6, ops.Count(o => o == "Relu"));
        Assert.Equal(3, ops.Count(o => o == "MaxPool"));
        Assert.Equal(["GlobalAveragePool", "Flatten", "Gemm"], ops.TakeLast(3));
        Assert.Equal(24, ops.Count);
        Assert.Equal("Conv", model.Graph.Node.Single(n => n.Output[0] == "features.conv1").OpType);
        Assert.Equal("features.conv1", model.Graph.Node.Single(n => n.Name == "features.bn1").Input[0]);
    }

    [Fact]
    public void MobileNetV2_HasDepthwiseConvs_ResidualAdds_AndClips()
    {
        var model = Export("mobilenet-v2", trainSteps: 3);
        var ops = ExportAssert.OpTypes(model);
        // stem 1 + block1 2 (no expand) + blocks 2–5 3 each + head 1 = 16 convs, 5 of them depthwise
        Assert.Equal(16, ops.Count(o => o == "Conv"));
        Assert.Equal(16, ops.Count(o => o == "BatchNormalization"));
        Assert.Equal(5, model.Graph.Node.Count(n => n.OpType == "Conv" && n.Attribute.Single(a => a.Name == "group").I > 1));
        Assert.Equal(["blocks.block1.add", "blocks.block3.add", "blocks.block5.add"], model.Graph.Node.Where(n => n.OpType == "Add").Select(n => n.Name));
        // ReLU6 after stem, head and every expand/depthwise: 1 + 1 + 1 + 2·4 = 11
        Assert.Equal(11, ops.Count(o => o == "Clip"));
        Assert.Equal(96, Attribute(model, "blocks.block2.block.depthwise", "group").I);
        Assert.Equal([2L, 2], Attribute(model, "blocks.block2.block.depthwise", "strides").Ints);
    }

    /// <summary>
    /// Creates the network, optionally trains a few SGD steps on random images (so BatchNorm's running
    /// statistics are not 0 and 1), exports it and checks ONNX Runtime against TorchSharp at batch 1 and 3.
    /// </summary>
    private static ModelProto Export(string name, int trainSteps = 0)
    {
        using var scope = NewDisposeScope();
        using var net = NetworkCatalog.Create(name, seed: 11);
        if (trainSteps > 0)
            Train(net, trainSteps);
        return ExportAssert.ExportsEquivalently(net, [1, 28, 28]);
    }

    private static void Train(nn.Module<Tensor, Tensor> net, int steps)
    {
        net.train();
        var optimizer = optim.SGD(net.parameters(), learningRate: 0.05);
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var images = tensor(ExportAssert.Inputs([16, 1, 28, 28], seed: 200 + step), [16, 1, 28, 28]) + 0.5f;
            var labels = tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 10)).ToArray());
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.forward(images), labels);
            loss.backward();
            optimizer.step();
        }
    }

    private static AttributeProto Attribute(ModelProto model, string node, string attribute) =>
        model.Graph.Node.Single(n => n.Name == node).Attribute.Single(a => a.Name == attribute);
}
