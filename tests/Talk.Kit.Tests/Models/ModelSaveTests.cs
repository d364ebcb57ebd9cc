using Talk.Kit.Models;

namespace Talk.Kit.Tests.Models;

public sealed class ModelSaveTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"talk-kit-save-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Save_CreatesTheFolder_LeavesNoTemporaryFile_AndLoadsBackIdentical()
    {
        var model = Model.FromBytes(TestNets.LeNet5(), "lenet5");
        string path = Path.Combine(folder, "nested", "lenet5.onnx");

        string written = model.Save(path);

        Assert.Equal(path, written);
        Assert.Equal([path], Directory.GetFiles(Path.Combine(folder, "nested"), "*", SearchOption.AllDirectories));
        var loaded = Model.FromFile(path);
        Assert.Equal(model.Fingerprint, loaded.Fingerprint);
        Assert.Equal(model.Bytes.ToArray(), File.ReadAllBytes(path));
        Assert.Equal("lenet5", loaded.Name);
        Assert.Equal(path, loaded.SourceFile);
        Assert.Equal(path, loaded.Lineage.Source);
    }

    [Fact]
    public void Save_ReplacesAnotherExistingFile()
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "old.onnx");
        File.WriteAllText(path, "an older file");

        Model.FromBytes(TestNets.LeNet300100(), "mlp").Save(path);

        Assert.Equal(TestNets.LeNet300100(), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void Save_OverTheFileTheModelCameFrom_IsRefused_AndSuggestsAName()
    {
        string path = Model.FromBytes(TestNets.LeNet5(), "lenet5").Save(Path.Combine(folder, "lenet5.onnx"));
        byte[] original = File.ReadAllBytes(path);
        var loaded = Model.FromFile(path);
        var fused = loaded.With(loaded.ToArray(), LineageStep.Now("fused"));

        var same = Assert.Throws<IOException>(() => loaded.Save(path));
        var derived = Assert.Throws<IOException>(() => fused.Save(Path.Combine(folder, ".", "sub", "..", "lenet5.onnx")));

        Assert.Contains($"Refusing to overwrite '{path}'", same.Message);
        Assert.Contains("Choose another name, e.g. lenet5-copy.onnx", same.Message);
        Assert.Contains("Choose another name, e.g. lenet5-fused.onnx", derived.Message);
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Equal(path, fused.SourceFile);
        Assert.Equal(Path.Combine(folder, "lenet5-fused.onnx"), fused.Save(Path.Combine(folder, "lenet5-fused.onnx")));
    }

    [Fact]
    public void Save_ThroughASymbolicLinkToTheSourceFile_IsRefused()
    {
        string path = Model.FromBytes(TestNets.LeNet5(), "lenet5").Save(Path.Combine(folder, "lenet5.onnx"));
        string link = Path.Combine(folder, "latest.onnx");
        File.CreateSymbolicLink(link, path);

        Assert.Throws<IOException>(() => Model.FromFile(path).Save(link));
        Assert.Throws<IOException>(() => Model.FromFile(link).Save(path));
    }

    [Fact]
    public void FromFile_MissingFile_SaysWhereItLookedAndWhatIsThere()
    {
        Model.FromBytes(TestNets.LeNet5(), "lenet5").Save(Path.Combine(folder, "lenet5.onnx"));
        string missing = Path.Combine(folder, "lenet.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => Model.FromFile(missing));

        Assert.Equal(missing, error.FileName);
        Assert.Contains($"No ONNX model file at '{missing}'", error.Message);
        Assert.Contains("ONNX files in that folder: lenet5.onnx", error.Message);
    }

    [Fact]
    public void FromFile_MissingFolder_SaysSo()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Model.FromFile(Path.Combine(folder, "nowhere", "m.onnx")));
        Assert.Contains("does not exist either", error.Message);
    }
}
