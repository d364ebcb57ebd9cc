using System.Text.Json;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

/// <summary>#!sensitivity and #!prune in a real kernel: bad input on a plain ONNX model, the happy paths on a briefly trained lenet-5.</summary>
public sealed class PruneMagicTests
{
    // A tiny trained network: one epoch on 1,000 images is enough to have something to prune (cached after the first test).
    private const string Train = "#!model train lenet-5 --epochs 1 --train-images 1000 --as lenet";

    [Theory]
    [InlineData("#!prune", "#!prune needs the name of a zoo model trained here.")]
    [InlineData("#!prune net", "#!prune needs --sparsity")]
    [InlineData("#!prune net --sparsity 0", "--sparsity must be above 0% and at most 99%")]
    [InlineData("#!prune net --sparsity 100%", "--sparsity must be above 0% and at most 99%")]
    [InlineData("#!prune net --sparsity lots", "--sparsity must be above 0% and at most 99%")]
    [InlineData("#!prune net --sparsity features.conv1=lots", "--sparsity per layer takes layer=value pairs separated by commas, each value from 0% to 99%; 'features.conv1=lots' is not one.")]
    [InlineData("#!prune net --sparsity features.conv1=50%,fc1", "--sparsity per layer takes layer=value pairs separated by commas, each value from 0% to 99%; 'fc1' is not one.")]
    [InlineData("#!prune net --sparsity =50%", "'=50%' is not one.")]
    [InlineData("#!prune net --sparsity fc1=120%", "'fc1=120%' is not one.")]
    [InlineData("#!prune net --sparsity fc1=50%,fc1=60%", "--sparsity names 'fc1' twice; give each layer once.")]
    [InlineData("#!prune net --sparsity 90% --max-accuracy-drop 1%", "#!prune takes --sparsity or --max-accuracy-drop, not both")]
    [InlineData("#!prune net --max-accuracy-drop 0", "--max-accuracy-drop must be from 0.01% to 50%")]
    [InlineData("#!prune net --max-accuracy-drop 1% --structured channels", "--max-accuracy-drop reads the unstructured sensitivity curves")]
    [InlineData("#!prune net --sparsity 50% --structured filters", "--structured takes channels (whole conv filters), not 'filters'.")]
    [InlineData("#!prune net --sparsity 90% --fine-tune-epochs 0", "--fine-tune-epochs must be a whole number from 1 to 100")]
    [InlineData("#!prune net --sparsity 90%", "#!prune fine-tunes the TorchSharp network behind 'net', and the kit has none for it")]
    [InlineData("#!prune nosuch --sparsity 90%", "No model named 'nosuch' in the workspace.")]
    [InlineData("#!sensitivity", "#!sensitivity needs the name of a zoo model trained here.")]
    [InlineData("#!sensitivity net --sparsities 0,150%", "--sparsities must be from 0% to 99%")]
    [InlineData("#!sensitivity net --images 5", "--images must be a whole number from 10 to 10000")]
    [InlineData("#!sensitivity net", "#!sensitivity prunes the TorchSharp network behind 'net', and the kit has none for it")]
    public async Task PruneMagic_BadInput_GetsTheKitsOwnMessage_AndTheKernelKeepsWorking(string cell, string message)
    {
        using var k = await StartAsync();
        Kit.Models["net"] = PlainModels.Classifier();
        Assert.Contains(message, Failure(await k.RunAsync(cell)));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }

    [Fact]
    public async Task PruneMagic_Sensitivity_GivesOneCurvePerLayer()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync(Train)));
        var events = await k.RunAsync("#!sensitivity lenet --sparsities 0,50%,90% --images 200");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        var layers = root.GetProperty("layers");
        var ops = Kit.Models["lenet"].OpTypeCounts;
        Assert.Equal(ops.GetValueOrDefault("Conv") + ops.GetValueOrDefault("Gemm"), layers.GetArrayLength()); // every conv and linear
        Assert.All(layers.EnumerateArray(), l => Assert.Equal(3, l.GetProperty("points").GetArrayLength()));
        Assert.Equal(layers.GetArrayLength(), root.GetProperty("safeSparsity").GetArrayLength());
        Assert.Equal(200, root.GetProperty("images").GetInt32());
        Assert.InRange(root.GetProperty("denseAccuracy").GetDouble(), 0.3, 1); // trained: far above chance (10%)
        Assert.Equal(1, Formatted(events, "text/html")!.Split("class=\"talkkit-chart\"").Length - 1);
        Assert.Contains("within 1 point", Formatted(events, "text/plain"));
    }

    [Fact]
    public async Task PruneMagic_Unstructured_ReachesTheSparsity_AndKeepsTheShapes()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync(Train)));
        var events = await k.RunAsync("#!prune lenet --sparsity 90% --fine-tune-epochs 1 --train-images 500 --images 200 --runs 3 --as lenet-sparse");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.InRange(root.GetProperty("totalSparsity").GetDouble(), 0.89, 0.91);
        var (before, after) = (root.GetProperty("before"), root.GetProperty("after"));
        Assert.Equal(before.GetProperty("parameters").GetInt64(), after.GetProperty("parameters").GetInt64());
        Assert.True(after.GetProperty("nonZeros").GetInt64() < before.GetProperty("nonZeros").GetInt64() / 5);
        Assert.True(after.GetProperty("compressedBytes").GetInt64() < before.GetProperty("compressedBytes").GetInt64());
        Assert.Equal(200, after.GetProperty("accuracy").GetProperty("images").GetInt32());
        AssertLatencyMeasured(root);
        Assert.Contains("prune", Kit.Models["lenet-sparse"].Lineage.ToString());
    }

    [Fact]
    public async Task PruneMagic_PerLayer_UnknownLayers_GetOneMessageListingTheLayers_AndTheKernelKeepsWorking()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync(Train)));
        var failure = Failure(await k.RunAsync("#!prune lenet --sparsity conv1=50%,classifier.fc1=90%,fc9=80% --fine-tune-epochs 1 --train-images 500 --as lenet-x"));
        Assert.StartsWith("'lenet' has no layer 'conv1', 'fc9'. Its conv and linear layers are features.conv1, features.conv2, classifier.fc1, classifier.fc2, classifier.fc3.", failure);
        Assert.Single(failure!.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Kit.Models.ContainsKey("lenet-x"));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }

    [Fact]
    public async Task PruneMagic_PerLayer_ReachesEachTarget_AndLeavesTheOthersDense()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync(Train)));
        var events = await k.RunAsync("#!prune lenet --sparsity features.conv1=50%,features.conv2=80%,classifier.fc1=95% --fine-tune-epochs 1 --train-images 500 --images 200 --runs 3 --as lenet-layers");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.Equal("features.conv1=50%,features.conv2=80%,classifier.fc1=95%", root.GetProperty("targets").GetString());
        var targets = new Dictionary<string, double> { ["features.conv1"] = 0.5, ["features.conv2"] = 0.8, ["classifier.fc1"] = 0.95 };
        foreach (var layer in root.GetProperty("layers").EnumerateArray())
        {
            string name = layer.GetProperty("name").GetString()!;
            long weights = layer.GetProperty("weights").GetInt64(), zeros = layer.GetProperty("zeros").GetInt64();
            if (targets.TryGetValue(name, out double t))
            {
                Assert.Equal(t, layer.GetProperty("target").GetDouble());
                Assert.Equal((long)Math.Round(t * weights), zeros);
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, layer.GetProperty("target").ValueKind);
                Assert.Equal(0, zeros);
            }
        }
        Assert.Contains("zeros: target", Formatted(events, "text/html"));
        Assert.Contains("features.conv2", Formatted(events, "text/plain"));
        AssertLatencyMeasured(root);
    }

    [Fact]
    public async Task PruneMagic_MaxAccuracyDrop_ReadsTargetsFromTheSensitivityCurves()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync(Train)));
        var events = await k.RunAsync("#!prune lenet --max-accuracy-drop 2% --fine-tune-epochs 1 --train-images 500 --images 200 --runs 3 --as lenet-budget");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        var curves = root.GetProperty("sensitivity");
        double dense = curves.GetProperty("denseAccuracy").GetDouble();
        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(layers.Count, curves.GetProperty("layers").GetArrayLength());
        foreach (var (layer, curve) in layers.Zip(curves.GetProperty("layers").EnumerateArray()))
        {
            double within = curve.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("accuracy").GetDouble() >= dense - 0.02)
                .Select(p => p.GetProperty("sparsity").GetDouble()).DefaultIfEmpty(0).Max();
            Assert.Equal(within, layer.GetProperty("target").GetDouble());
            Assert.Equal((long)Math.Round(within * layer.GetProperty("weights").GetInt64()), layer.GetProperty("zeros").GetInt64());
        }
        Assert.Contains("within 2% of dense accuracy", root.GetProperty("method").GetString());
    }

    [Fact]
    public async Task PruneMagic_Structured_RemovesFilters_AndMakesASmallerModel()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync(Train)));
        var events = await k.RunAsync("#!prune lenet --sparsity 50% --structured channels --fine-tune-epochs 1 --train-images 500 --images 200 --runs 3 --as lenet-slim");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.True(root.GetProperty("structured").GetBoolean());
        Assert.True(root.GetProperty("after").GetProperty("parameters").GetInt64() < root.GetProperty("before").GetProperty("parameters").GetInt64());
        Assert.True(root.GetProperty("after").GetProperty("fileBytes").GetInt64() < root.GetProperty("before").GetProperty("fileBytes").GetInt64());
        foreach (var conv in root.GetProperty("channels").EnumerateObject())
            Assert.Equal((conv.Value.GetProperty("before").GetInt64() + 1) / 2, conv.Value.GetProperty("after").GetInt64()); // half, rounded
        AssertLatencyMeasured(root);
        Assert.True(Kit.Models["lenet-slim"].SizeBytes < Kit.Models["lenet"].SizeBytes);
        Assert.Matches(@"features\.conv2 +600 weights +50\.0% → +50\.0% +filters 16 → 8", Formatted(events, "text/plain")); // reached = filters removed
    }

    /// <summary>Timings exist (their values depend on the machine: no claims about them here).</summary>
    private static void AssertLatencyMeasured(JsonElement root)
    {
        var variants = root.GetProperty("latency").GetProperty("variants");
        Assert.Equal(2, variants.GetArrayLength());
        Assert.All(variants.EnumerateArray(), v => Assert.True(v.GetProperty("timing").GetProperty("latency").GetProperty("median").GetDouble() > 0));
        Assert.True(root.GetProperty("latencyRatio").GetDouble() > 0);
    }
}
