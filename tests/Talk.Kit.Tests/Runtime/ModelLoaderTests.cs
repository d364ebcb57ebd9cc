using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Tests.Models;

namespace Talk.Kit.Tests.Runtime;

public sealed class ModelLoaderTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"talk-kit-load-{Guid.NewGuid():N}");

    public ModelLoaderTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Load_AValidFile_GivesTheModel()
    {
        string path = Path.Combine(folder, "lenet5.onnx");
        File.WriteAllBytes(path, TestNets.LeNet5());

        var model = ModelLoader.Load(path);

        Assert.Equal("lenet5", model.Name);
        Assert.Equal(path, model.SourceFile);
        Assert.Equal(12, model.NodeCount);
    }

    [Fact]
    public void Load_MissingFile_IsFileNotFound_WithWhatIsThere()
    {
        File.WriteAllBytes(Path.Combine(folder, "lenet5.onnx"), TestNets.LeNet5());

        var error = Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(Path.Combine(folder, "lenet-5.onnx")));

        Assert.Contains("No ONNX model file at", error.Message);
        Assert.Contains("ONNX files in that folder: lenet5.onnx", error.Message);
    }

    [Fact]
    public void Load_RandomBytesFile_IsAClearFormatError()
    {
        string path = Path.Combine(folder, "noise.onnx");
        var noise = new byte[10_000];
        new Random(3).NextBytes(noise);
        File.WriteAllBytes(path, noise);

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(path));

        Assert.Contains($"Model 'noise' ({path})", error.Message);
        Assert.Contains("not an ONNX model", error.Message);
    }

    [Fact]
    public void Load_TruncatedFile_IsAClearFormatError()
    {
        string path = Path.Combine(folder, "cut.onnx");
        byte[] model = TestNets.LeNet5();
        File.WriteAllBytes(path, model[..(model.Length * 3 / 4)]);

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(path));

        Assert.Contains("truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Load_AnOperatorOnnxRuntimeDoesNotKnow_GivesOrtsReasonOnOneLine()
    {
        byte[] bytes = new OnnxGraphBuilder("odd")
            .Input("x", OnnxElementType.Float, 1, 4)
            .Node("Frobnicate", ["x"], ["y"], name: "frob")
            .Output("y", OnnxElementType.Float, 1, 4)
            .ToBytes();

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(bytes, "odd"));

        Assert.StartsWith($"ONNX Runtime {Ort.Version} cannot load model 'odd' (bytes): node 'frob' (Frobnicate): No Op registered for Frobnicate", error.Message);
        Assert.DoesNotContain("\n", error.Message);
        Assert.IsType<OnnxRuntimeException>(error.InnerException);
    }

    [Fact]
    public void Load_AShapeError_IsReadable()
    {
        // Conv needs a 4-D input (N, C, H, W); a 2-D one fails ORT's shape inference.
        byte[] bytes = new OnnxGraphBuilder("flatconv")
            .Input("x", OnnxElementType.Float, 1, 4)
            .Initializer("w", new float[4], 1, 1, 2, 2)
            .Node("Conv", ["x", "w"], ["y"], name: "c")
            .Output("y", OnnxElementType.Float, 1, 1)
            .ToBytes();

        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(bytes, "flatconv"));

        Assert.Contains("cannot load model 'flatconv' (bytes): node 'c' (Conv): [ShapeInferenceError] Input tensor must have at least 3 dimensions", error.Message);
        Assert.DoesNotContain("onnxruntime_src", error.Message);
    }

    [Fact]
    public void Load_ModelsOfEveryTestNet_AreAccepted()
    {
        Assert.Equal(10, ModelLoader.Load(TestNets.LeNet5(), "lenet5").InitializerCount);
        Assert.Equal(6, ModelLoader.Load(TestNets.LeNet300100(), "lenet300100").InitializerCount);
        Assert.Equal(3, ModelLoader.Load(TestNets.FixedBatchResidual(), "residual").IrVersion);
    }

    [Fact]
    public void SupportedOpsets_AreExactlyWhatThisOnnxRuntimeAccepts()
    {
        // If ORT is upgraded and this fails, move SupportedOpsets.Max to ORT's new limit.
        using (Ort.CreateSession(TestNets.LeNet5(SupportedOpsets.Max), threads: 1)) { }
        var beyond = Assert.Throws<OnnxRuntimeException>(() => Ort.CreateSession(TestNets.LeNet5(SupportedOpsets.Max + 1), threads: 1));
        Assert.Contains($"domain ai.onnx is till opset {SupportedOpsets.Max}", beyond.Message);
        using (Ort.CreateSession(TestNets.LeNet5(SupportedOpsets.Min), threads: 1)) { }
    }
}
