using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Tests.Models;

public class StructuralCheckTests
{
    [Fact]
    public void RandomBytes_AreNotAnOnnxModel()
    {
        var noise = new byte[4096];
        new Random(7).NextBytes(noise);

        var error = Assert.Throws<ModelFormatException>(() => Model.FromBytes(noise, "noise"));

        Assert.Contains("Model 'noise' (bytes)", error.Message);
        Assert.Contains("not an ONNX model", error.Message);
    }

    [Fact]
    public void EmptyBytes_HaveNoGraph()
    {
        var error = Assert.Throws<ModelFormatException>(() => Model.FromBytes([], "empty"));
        Assert.Contains("has no graph", error.Message);
    }

    [Fact]
    public void TruncatedModel_SaysItIsTruncated()
    {
        byte[] model = TestNets.LeNet5();

        var error = Assert.Throws<ModelFormatException>(() => Model.FromBytes(model[..(model.Length / 2)], "lenet5"));

        Assert.Contains("truncated", error.Message);
        Assert.Contains("re-export or re-download", error.Message);
    }

    [Fact]
    public void TruncatedModel_AtEveryLength_IsAModelFormatError()
    {
        byte[] model = TestNets.LeNet5();
        // Cutting inside a message breaks the parse; cutting after the graph loses the opset import (serialized last).
        for (int length = 0; length < model.Length; length += Math.Max(1, length / 50))
            Assert.Throws<ModelFormatException>(() => Model.FromBytes(model[..length], "lenet5"));
        Assert.Throws<ModelFormatException>(() => Model.FromBytes(model[..^1], "lenet5"));
    }

    [Fact]
    public void NodeInputThatNothingProduces_IsAMissingInitializer()
    {
        byte[] broken = TestNets.Edit(TestNets.LeNet5(), m => m.Graph.Initializer.Remove(m.Graph.Initializer.Single(t => t.Name == "conv2.w")));

        var error = Assert.Throws<ModelFormatException>(() => Model.FromBytes(broken, "lenet5"));

        Assert.Contains("node 'conv2' (Conv) reads 'conv2.w'", error.Message);
        Assert.Contains("an initializer (weights) is missing", error.Message);
    }

    [Fact]
    public void GraphOutputThatNothingProduces_IsNamed()
    {
        byte[] broken = TestNets.Edit(TestNets.LeNet5(), m => m.Graph.Output[0].Name = "logits");
        Assert.Contains("graph output 'logits'", Assert.Throws<ModelFormatException>(() => Model.FromBytes(broken, "lenet5")).Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(SupportedOpsets.Max + 1)]
    public void OpsetOutsideWhatOnnxRuntimeSupports_SaysTheRange(int opset)
    {
        var error = Assert.Throws<ModelFormatException>(() => Model.FromBytes(TestNets.LeNet5(opset), "lenet5"));

        Assert.Contains($"uses ONNX opset {opset}; ONNX Runtime 1.31 supports opsets 7–26", error.Message);
        Assert.Contains("Re-export it", error.Message);
    }

    [Theory]
    [InlineData(SupportedOpsets.Min)]
    [InlineData(SupportedOpsets.Max)]
    public void OpsetsAtTheEndsOfTheRange_AreAccepted(int opset) => Assert.Equal(opset, Model.FromBytes(TestNets.LeNet5(opset), "lenet5").Opset);

    [Fact]
    public void NoOpsetImport_IsAClearError()
    {
        byte[] broken = TestNets.Edit(TestNets.LeNet5(), m => m.OpsetImport.Clear());
        Assert.Contains("declares no opset import", Assert.Throws<ModelFormatException>(() => Model.FromBytes(broken, "lenet5")).Message);
    }

    [Fact]
    public void ADomainImportedTwice_IsAClearError()
    {
        byte[] broken = TestNets.Edit(TestNets.LeNet5(), m => m.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx", Version = 13 }));
        Assert.Contains("imports domain 'ai.onnx' 2 times (versions 17, 13)", Assert.Throws<ModelFormatException>(() => Model.FromBytes(broken, "lenet5")).Message);
    }

    [Fact]
    public void NoInputsOrNoOutputs_AreClearErrors()
    {
        byte[] noInputs = TestNets.Edit(TestNets.LeNet5(), m => m.Graph.Input.Clear());
        byte[] noOutputs = TestNets.Edit(TestNets.LeNet5(), m => m.Graph.Output.Clear());

        Assert.Contains("has no inputs", Assert.Throws<ModelFormatException>(() => Model.FromBytes(noInputs, "lenet5")).Message);
        Assert.Contains("has no outputs", Assert.Throws<ModelFormatException>(() => Model.FromBytes(noOutputs, "lenet5")).Message);
    }

    [Fact]
    public void WeightsInExternalFiles_AreRefusedWithWhatToDo()
    {
        byte[] external = TestNets.Edit(TestNets.LeNet5(), m =>
        {
            var w = m.Graph.Initializer[0];
            w.RawData = Google.Protobuf.ByteString.Empty;
            w.DataLocation = TensorProto.Types.DataLocation.External;
            w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        });

        var error = Assert.Throws<ModelFormatException>(() => Model.FromBytes(external, "lenet5"));

        Assert.Contains("external files (conv1.w)", error.Message);
        Assert.Contains("save_as_external_data=False", error.Message);
    }
}
