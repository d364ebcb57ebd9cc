using Onnx;
using Talk.Kit.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Export;

/// <summary>What the exported file says about itself: opset, IR, names from module paths, symbolic batch.</summary>
[Collection(TorchCollection.Name)]
public class OnnxGraphShapeTests
{
    private static ModelProto ExportSmallNet(nn.Module<Tensor, Tensor>? net = null)
    {
        torch.manual_seed(3);
        net ??= nn.Sequential(
            ("features", nn.Sequential(
                ("conv1", nn.Conv2d(1, 4, kernel_size: 3, padding: 1)),
                ("relu1", nn.ReLU()),
                ("pool1", nn.MaxPool2d(kernel_size: 2)))),
            ("classifier", nn.Sequential(
                ("flatten", nn.Flatten()),
                ("fc", nn.Linear(4 * 4 * 4, 10)))));
        return ModelProto.Parser.ParseFrom(OnnxExporter.Export(net, "small", [1, 8, 8]));
    }

    [Fact]
    public void Model_IsOpset17_Ir8_WithTheGivenGraphName()
    {
        using var scope = NewDisposeScope();
        var model = ExportSmallNet();
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("small", model.Graph.Name);
    }

    [Fact]
    public void NodesAndValues_AreNamedByModulePath_InitializersByParameterPath()
    {
        using var scope = NewDisposeScope();
        var model = ExportSmallNet();
        Assert.Equal(["features.conv1", "features.relu1", "features.pool1", "classifier.flatten", "classifier.fc"], model.Graph.Node.Select(n => n.Name));
        Assert.Equal(["features.conv1.weight", "features.conv1.bias", "classifier.fc.weight", "classifier.fc.bias"], model.Graph.Initializer.Select(i => i.Name));
        Assert.Equal("features.conv1", model.Graph.Node[1].Input[0]); // relu1 reads conv1's output
        Assert.Equal("logits", model.Graph.Node[^1].Output[0]);      // the last output is renamed to the graph output
    }

    [Fact]
    public void InputAndOutput_HaveTheSymbolicBatch_AndFixedOtherDims()
    {
        using var scope = NewDisposeScope();
        var model = ExportSmallNet();
        var input = Assert.Single(model.Graph.Input);
        var output = Assert.Single(model.Graph.Output);
        Assert.Equal("input", input.Name);
        Assert.Equal("logits", output.Name);
        Assert.Equal(["batch", "", "", ""], input.Type.TensorType.Shape.Dim.Select(d => d.DimParam));
        Assert.Equal([0L, 1, 8, 8], input.Type.TensorType.Shape.Dim.Select(d => d.DimValue));
        Assert.Equal(["batch", ""], output.Type.TensorType.Shape.Dim.Select(d => d.DimParam));
        Assert.Equal(10, output.Type.TensorType.Shape.Dim[1].DimValue);
    }

    [Fact]
    public void Initializers_HoldTheModulesWeights_InTorchSharpsLayout()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var linear = nn.Linear(3, 2);
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(linear, "one", [3]));
        var weight = model.Graph.Initializer.Single(i => i.Name == "linear.weight"); // a leaf root is named by its type
        Assert.Equal([2L, 3], weight.Dims);
        float[] stored = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray();
        Assert.Equal(linear.weight.data<float>().ToArray(), stored);
    }

    [Fact]
    public void Relu6Constants_AreSharedScalars()
    {
        using var scope = NewDisposeScope();
        var model = ExportSmallNet(nn.Sequential(("a", nn.ReLU6()), ("b", nn.ReLU6())));
        Assert.Equal(["relu6.min", "relu6.max"], model.Graph.Initializer.Select(i => i.Name));
        Assert.All(model.Graph.Initializer, i => Assert.Empty(i.Dims));
        Assert.All(model.Graph.Node, n => Assert.Equal(["relu6.min", "relu6.max"], n.Input.Skip(1)));
    }

    [Fact]
    public void OnlyIdentities_StillGiveAGraphWithAnOutputProducer()
    {
        using var scope = NewDisposeScope();
        var model = ExportSmallNet(nn.Sequential(("dropout", nn.Dropout(0.5))));
        var node = Assert.Single(model.Graph.Node);
        Assert.Equal("Identity", node.OpType);
    }

    [Fact]
    public void Export_RestoresTrainingMode_AndCustomNames()
    {
        using var scope = NewDisposeScope();
        var net = nn.Sequential(("fc", nn.Linear(4, 2)));
        net.train();
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(net, "names", [4], inputName: "pixels", outputName: "scores"));
        Assert.True(net.training);
        Assert.Equal("pixels", model.Graph.Input[0].Name);
        Assert.Equal("scores", model.Graph.Output[0].Name);
    }

    [Fact]
    public void OutputName_TakenByAModulePath_IsAClearError()
    {
        using var scope = NewDisposeScope();
        var net = nn.Sequential(("logits", nn.Linear(4, 3)), ("relu", nn.ReLU()));
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, "clash", [4]));
        Assert.Contains("'logits' is already taken", error.Message);
    }
}
