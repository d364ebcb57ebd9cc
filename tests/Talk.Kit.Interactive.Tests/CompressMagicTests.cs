using System.Text.Json;
using Talk.Kit.Compression.Container;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

/// <summary>#!compress in a real kernel: bad input, one-shot compression of a plain ONNX classifier, and the fine-tuned path on a briefly trained lenet-5.</summary>
public sealed class CompressMagicTests
{
    [Theory]
    [InlineData("#!compress", "#!compress needs the name of a workspace model.")]
    [InlineData("#!compress net --pipeline huffman", "huffman codes the cluster indices of shared weights, so it needs share")]
    [InlineData("#!compress net --pipeline prune,zip", "'zip' is not a stage of Deep Compression")]
    [InlineData("#!compress net --bits conv=9", "--bits takes conv=N,fc=N or one N for both, N from 1 to 8")]
    [InlineData("#!compress net --bits fc=five", "--bits takes conv=N,fc=N")]
    [InlineData("#!compress net --budget 10", "--budget: '10' is not a size")]
    [InlineData("#!compress net --budget 10MB --pipeline prune,share", "--budget is checked against the real compressed file")]
    [InlineData("#!compress net --sparsity 100%", "--sparsity must be from 1% to 99%")]
    [InlineData("#!compress net --pipeline share,huffman --sparsity 90%", "--sparsity needs the prune stage")]
    [InlineData("#!compress net --save out.onnx", "--save writes a Deep Compression file, named *.tkdc")]
    [InlineData("#!compress net --fine-tune-epochs -1", "--fine-tune-epochs must be a whole number from 0 to 100")]
    [InlineData("#!compress nosuch", "No model named 'nosuch' in the workspace.")]
    public async Task CompressMagic_BadInput_GetsTheKitsOwnMessage_AndTheKernelKeepsWorking(string cell, string message)
    {
        using var k = await StartAsync();
        Kit.Models["net"] = PlainModels.Classifier();
        Assert.Contains(message, Failure(await k.RunAsync(cell)));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }

    [Fact]
    public async Task CompressMagic_UnderABudget_WritesAFileThatFits_AndShowsWaterfallTableAndLimits()
    {
        using var k = await StartAsync();
        Kit.Models["net"] = PlainModels.Classifier();
        string path = Path.Combine(Path.GetTempPath(), $"talkkit-{Guid.NewGuid():N}.tkdc");
        try
        {
            var events = await k.RunAsync($"#!compress net --budget 8KB --images 200 --save {path} --as small");
            Assert.Null(Failure(events));

            using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
            var root = json.RootElement;
            Assert.True(root.GetProperty("withinBudget").GetBoolean());
            long file = root.GetProperty("finalBytes").GetInt64();
            Assert.InRange(file, 1, 8000);
            Assert.Equal(file, new FileInfo(path).Length);
            Assert.Equal(Kit.Models["small"].Fingerprint, DeepCompression.Load(path).Fingerprint); // the workspace model is the file, decoded
            Assert.True(root.GetProperty("plan").GetProperty("tried").GetArrayLength() >= 1);
            var html = Formatted(events, "text/html")!;
            Assert.Equal(2, html.Split("class=\"talkkit-chart\"").Length - 1);   // waterfall and app-store chart
            Assert.Contains("weight bits (P+Q+H)", html);
            Assert.Contains("App Store cellular limit", html);
            Assert.Contains("fits", Formatted(events, "text/plain"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task CompressMagic_ZooNet_IsFineTunedBetweenStages_AndEveryStageIsJudged()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync("#!model train lenet-5 --epochs 1 --train-images 1000 --as lenet")));
        var events = await k.RunAsync("#!compress lenet --sparsity 80% --fine-tune-epochs 1 --train-images 500 --images 300 --as lenet-dc");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.Contains("fine-tuned 1 epoch(s)", root.GetProperty("method").GetString());
        var stages = root.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(4, stages.Count);
        Assert.All(stages, s => Assert.InRange(s.GetProperty("quality").GetProperty("accuracy").GetDouble(), 0, 1));
        var bytes = stages.Select(s => s.GetProperty("bytes").GetInt64()).ToList();
        Assert.Equal(bytes.OrderDescending(), bytes);
        // The file holds exactly the fine-tuned shared weights: decoded accuracy = shared accuracy.
        Assert.Equal(stages[2].GetProperty("quality").GetProperty("accuracy").GetDouble(), stages[3].GetProperty("quality").GetProperty("accuracy").GetDouble());
        var layers = root.GetProperty("report").GetProperty("layers");
        // 80% pruned in every layer but the small ones (conv1, fc3: under 2% of the weights), which stop at 70%.
        Assert.All(layers.EnumerateArray(), l => Assert.InRange(l.GetProperty("kept").GetDouble(), l.GetProperty("weights").GetInt64() < 1200 ? 0.25 : 0.15, l.GetProperty("weights").GetInt64() < 1200 ? 0.35 : 0.25));
    }
}
