using System.Security.Cryptography;
using Talk.Kit.Models;

namespace Talk.Kit.Tests.Models;

public class ModelTests
{
    [Fact]
    public void FromBytes_DescribesInputsOutputsOpsetAndOperators()
    {
        byte[] bytes = TestNets.LeNet5();
        var model = Model.FromBytes(bytes, "lenet5");

        Assert.Equal("x: float[batch,1,28,28]", Assert.Single(model.Inputs).ToString());
        Assert.Equal([TensorDim.Symbolic("batch"), TensorDim.Fixed(1), TensorDim.Fixed(28), TensorDim.Fixed(28)], model.Inputs[0].Dims!);
        Assert.Equal("fc3.y: float[batch,10]", Assert.Single(model.Outputs).ToString());
        Assert.Equal(17, model.Opset);
        Assert.Equal(new Dictionary<string, long> { [""] = 17 }, model.OpsetImports);
        Assert.Equal(new Dictionary<string, int> { ["Conv"] = 2, ["Relu"] = 4, ["MaxPool"] = 2, ["Flatten"] = 1, ["Gemm"] = 3 }, model.OpTypeCounts);
        Assert.Equal(12, model.NodeCount);
        Assert.Equal(10, model.InitializerCount);
        Assert.Equal(61_706 * 4, model.InitializerBytes); // every weight and bias is a float32
        Assert.Equal(bytes.Length, model.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), model.Fingerprint);
        Assert.Equal("bytes", model.Lineage.Source);
        Assert.Null(model.SourceFile);
    }

    [Fact]
    public void Bytes_AreCopied_SoTheCallersArrayCannotChangeTheModel()
    {
        byte[] bytes = TestNets.LeNet5();
        var model = Model.FromBytes(bytes, "lenet5");
        string before = model.Fingerprint;

        Array.Clear(bytes);
        model.ToArray()[0] ^= 0xFF;

        Assert.Equal(before, model.Fingerprint);
        Assert.Equal(before, Convert.ToHexStringLower(SHA256.HashData(model.Bytes.Span)));
    }

    [Fact]
    public void ToProto_ReturnsACopy_SoEditingItLeavesTheModelAsItWas()
    {
        var model = Model.FromBytes(TestNets.LeNet5(), "lenet5");

        var edited = model.ToProto();
        edited.Graph.Node.Clear();
        edited.Graph.Initializer[0].Dims[0] = 99;

        Assert.Equal(12, model.ToProto().Graph.Node.Count);
        Assert.Equal(6, model.ToProto().Graph.Initializer[0].Dims[0]);
        Assert.Equal(12, model.NodeCount);
    }

    [Fact]
    public void With_ChainsTheLineage_AndLeavesEachEarlierModelAsItWas()
    {
        var original = Model.FromBytes(TestNets.LeNet5(), "lenet5");
        var parameters = new Dictionary<string, string> { ["bn"] = "true" };
        var fuse = new LineageStep("fuse", parameters, new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        parameters["bn"] = "changed later"; // the step keeps its own copy

        var proto = original.ToProto();
        proto.Graph.Node[1].Name = "relu1-renamed";
        var fused = original.With(proto, fuse);
        var quantized = fused.With(fused.ToArray(), LineageStep.Now("quantize", new Dictionary<string, string> { ["bits"] = "8" }));

        Assert.Empty(original.Lineage.Steps);
        Assert.Equal(["fuse"], fused.Lineage.Steps.Select(s => s.Pass));
        Assert.Equal(["fuse", "quantize"], quantized.Lineage.Steps.Select(s => s.Pass));
        Assert.Equal("bytes → fuse(bn=true) → quantize(bits=8)", quantized.Lineage.ToString());
        Assert.Equal("lenet5-fuse-quantize", quantized.Name);
        Assert.Equal("custom", fused.With(fused.ToArray(), fuse, name: "custom").Name);
        Assert.InRange(quantized.Lineage.Steps[1].At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.NotEqual(original.Fingerprint, fused.Fingerprint);
        Assert.Equal(fused.Fingerprint, quantized.Fingerprint);
    }

    [Fact]
    public void With_ChecksTheNewBytes()
    {
        var model = Model.FromBytes(TestNets.LeNet5(), "lenet5");
        var error = Assert.Throws<ModelFormatException>(() => model.With([1, 2, 3], LineageStep.Now("broken-pass")));
        Assert.Contains("Model 'lenet5-broken-pass' (bytes → broken-pass)", error.Message);
    }

    [Fact]
    public void InitializersListedAsInputs_AsOldExportersDid_AreNotInputsToFeed()
    {
        var model = Model.FromBytes(TestNets.FixedBatchResidual(), "residual");

        Assert.Equal(3, model.IrVersion);
        Assert.Equal("x: float[1,3,8,8]", Assert.Single(model.Inputs).ToString());
        Assert.Equal(8, model.Opset);
    }

    [Fact]
    public void ANameIsRequired()
    {
        Assert.Contains("needs a name", Assert.Throws<ArgumentException>(() => Model.FromBytes(TestNets.LeNet5(), " ")).Message);
    }
}
