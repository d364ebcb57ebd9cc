using System.Text.Json;
using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

/// <summary>#!model in a real kernel. Training uses a temporary cache and a tiny schedule, so each test trains for real in ~1 s.</summary>
public sealed class ModelMagicTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("talkkit-cache-").FullName;
    private readonly string? previousCache = Environment.GetEnvironmentVariable("TALKKIT_CACHE");

    public ModelMagicTests() => Environment.SetEnvironmentVariable("TALKKIT_CACHE", cache);

    private const string QuickTrain = "#!model train lenet-300-100 --epochs 1 --train-images 512 --as mlp";

    [Fact]
    public async Task Train_ReportsEpochsExportCheckAndTestAccuracy_AndPutsTheModelInTheWorkspace()
    {
        using var k = await StartAsync();
        var events = await k.RunAsync(QuickTrain);
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.Equal("mlp", root.GetProperty("card").GetProperty("name").GetString());
        Assert.False(root.GetProperty("fromCache").GetBoolean());
        Assert.True(root.GetProperty("export").GetProperty("passed").GetBoolean());
        Assert.Equal(1, root.GetProperty("training").GetProperty("epochs").GetArrayLength());
        Assert.InRange(root.GetProperty("test").GetProperty("accuracy").GetDouble(), 0.3, 1.0); // chance is 0.1
        Assert.Contains("Training curve", Formatted(events, "text/html"));
        Assert.True(Kit.Models.ContainsKey("mlp"));

        var again = await k.RunAsync(QuickTrain);   // same recipe and data: the cache answers
        using var json2 = JsonDocument.Parse(Formatted(again, "application/json")!);
        Assert.True(json2.RootElement.GetProperty("fromCache").GetBoolean());
    }

    [Fact]
    public async Task Show_GivesMeasuredShapesTotalsAndAGraph()
    {
        using var k = await StartAsync();
        await k.RunAsync(QuickTrain);
        var events = await k.RunAsync("#!model show mlp --batch 4");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(266_610, summary.GetProperty("totals").GetProperty("parameters").GetInt64());
        Assert.Equal(4 * 266_200, summary.GetProperty("totals").GetProperty("macs").GetInt64()); // batch 4
        string html = Formatted(events, "text/html")!;
        Assert.Contains("class=\"talkkit-graph\"", html);
        Assert.Contains("digraph", html);
        Assert.Contains("Gemm", html);
    }

    [Fact]
    public async Task Eval_MeasuresAccuracy_OrAgreementWithAReference()
    {
        using var k = await StartAsync();
        await k.RunAsync(QuickTrain);
        var accuracy = await k.RunAsync("#!model eval mlp");
        Assert.Null(Failure(accuracy));
        Assert.Contains("accuracy", Formatted(accuracy, "text/plain"));

        var agreement = await k.RunAsync("#!model eval mlp --reference mlp --samples 50");
        Assert.Null(Failure(agreement));
        using var json = JsonDocument.Parse(Formatted(agreement, "application/json")!);
        Assert.Equal(1.0, json.RootElement.GetProperty("agreement").GetProperty("top1Agreement").GetDouble());
        Assert.Equal(50, json.RootElement.GetProperty("agreement").GetProperty("samples").GetInt32());
    }

    [Fact]
    public async Task Load_TakesAZooNameOrAnOnnxFile_AndZooListsThem()
    {
        using var k = await StartAsync();
        var zoo = await k.RunAsync("#!model zoo");
        Assert.Null(Failure(zoo));
        foreach (var name in new[] { "lenet-300-100", "lenet-5", "vgg-bn", "mobilenet-v2", "resnet18" })
            Assert.Contains(name, Formatted(zoo, "text/plain"));

        var resnet = await k.RunAsync("#!model load resnet18 --as rn");
        Assert.Null(Failure(resnet));
        Assert.Contains("BatchNormalization 22", Formatted(resnet, "text/plain"));

        await k.RunAsync(QuickTrain);
        string file = Path.Combine(cache, "mlp-copy.onnx");
        Kit.Models["mlp"].Save(file);
        var fromFile = await k.RunAsync($"#!model load {file}");
        Assert.Null(Failure(fromFile));
        Assert.Equal(Kit.Models["mlp"].Fingerprint, Kit.Models["mlp-copy"].Fingerprint);
    }

    [Theory]
    [InlineData("#!model", "#!model needs a verb: zoo | load | show | train | eval. Try: #!model load lenet-5 --as lenet")]
    [InlineData("#!model load", "#!model load needs a zoo name or an .onnx path. Try: #!model load lenet-5 --as lenet")]
    [InlineData("#!model load alexnet", "'alexnet' is neither a zoo name (lenet-300-100, lenet-5, vgg-bn, mobilenet-v2, resnet18) nor an existing file.")]
    [InlineData("#!model show nosuch", "No model named 'nosuch' in the workspace.")]
    [InlineData("#!model train resnet18", "'resnet18' is not an architecture the kit trains; use one of lenet-300-100, lenet-5, vgg-bn, mobilenet-v2.")]
    [InlineData("#!model train lenet-5 --epochs 0", "--epochs must be a whole number from 1 to 1000, not '0'.")]
    [InlineData("#!model train lenet-5 --learning-rate fast", "--learning-rate must be a positive number below 10, not 'fast'.")]
    [InlineData("#!model show lenet --batch -1", "--batch must be a whole number from 1 to 4096, not '-1'.")]
    public async Task BadInput_GetsTheKitsOwnMessage_AndTheKernelKeepsWorking(string cell, string message)
    {
        using var k = await StartAsync();
        Assert.Contains(message, Failure(await k.RunAsync(cell)));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }

    [Fact]
    public async Task LoadingACorruptFile_IsAClearError_AndLeavesTheFileAlone()
    {
        using var k = await StartAsync();
        string file = Path.Combine(cache, "broken.onnx");
        byte[] garbage = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        File.WriteAllBytes(file, garbage);
        string? failure = Failure(await k.RunAsync($"#!model load {file}"));
        Assert.NotNull(failure);
        Assert.Contains("broken.onnx", failure);
        Assert.Equal(garbage, File.ReadAllBytes(file));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TALKKIT_CACHE", previousCache);
        Directory.Delete(cache, recursive: true);
    }
}
