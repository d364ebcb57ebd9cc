using System.Text.Json;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

/// <summary>#!fuse and #!optimize in a real kernel, on a small Conv → BatchNorm → Relu → Gemm net.</summary>
public sealed class FuseMagicTests
{
    private static Model ConvBnNet()
    {
        var random = new Random(5);
        float[] R(int n, float lo = -0.5f, float hi = 0.5f) => Enumerable.Range(0, n).Select(_ => lo + (float)random.NextDouble() * (hi - lo)).ToArray();
        var bytes = new OnnxGraphBuilder("convbn").Input("x", OnnxElementType.Float, -1, 1, 8, 8)
            .Initializer("w", R(4 * 9), 4, 1, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], new Dictionary<string, object> { ["pads"] = new long[] { 1, 1, 1, 1 } }, name: "conv")
            .Initializer("gamma", R(4, 0.5f, 1.5f), 4).Initializer("beta", R(4), 4).Initializer("mean", R(4), 4).Initializer("var", R(4, 0.5f, 2f), 4)
            .Node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["n"], name: "bn")
            .Node("Relu", ["n"], ["r"], name: "relu")
            .Node("Flatten", ["r"], ["f"], name: "flatten")
            .Initializer("W", R(10 * 256), 10, 256)
            .Node("Gemm", ["f", "W"], ["y"], new Dictionary<string, object> { ["transB"] = 1L }, name: "fc")
            .Output("y", OnnxElementType.Float, -1, 10).ToBytes();
        return ModelLoader.Load(bytes, "convbn");
    }

    [Fact]
    public async Task Fuse_FoldsBatchNorm_VerifiesWithOnnxRuntime_AndComparesWithOrtsOptimizer()
    {
        using var k = await StartAsync();
        Kit.Models["net"] = ConvBnNet();
        var events = await k.RunAsync("#!fuse net --runs 5");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.Equal("net-fused", root.GetProperty("fused").GetString());
        var graphs = root.GetProperty("comparison").GetProperty("graphs").EnumerateArray().ToList();
        Assert.Equal(["original", "ours", "ORT basic", "ORT extended", "ORT all"], graphs.Select(g => g.GetProperty("graph").GetString()));
        Assert.Equal(1, graphs[0].GetProperty("opCounts").GetProperty("BatchNormalization").GetInt32());
        Assert.False(graphs[1].GetProperty("opCounts").TryGetProperty("BatchNormalization", out _));
        Assert.True(root.GetProperty("report").GetProperty("endToEnd").GetProperty("equivalent").GetBoolean());
        var comparison = root.GetProperty("comparison");
        Assert.Equal(5, comparison.GetProperty("latency").GetProperty("variants").GetArrayLength());
        Assert.All(comparison.GetProperty("matches").EnumerateArray(), m => Assert.True(m.GetProperty("same").GetBoolean()));
        Assert.True(comparison.GetProperty("oursAllOverOriginalAll").GetDouble() > 0);
        Assert.Contains("ours at ORT off / original at ORT extended", Formatted(events, "text/plain"));
        Assert.Equal(0, Kit.Models["net-fused"].OpTypeCounts.GetValueOrDefault("BatchNormalization"));
        Assert.Contains("fuse", Kit.Models["net-fused"].Lineage.ToString());
        Assert.Equal(2, Formatted(events, "text/html")!.Split("class=\"talkkit-graph\"").Length - 1); // before and after
    }

    [Fact]
    public async Task Optimize_SavesOrtsGraph_AsAWorkspaceModel()
    {
        using var k = await StartAsync();
        Kit.Models["net"] = ConvBnNet();
        Assert.Null(Failure(await k.RunAsync("#!optimize net --level basic --as net-ort")));
        Assert.Equal(0, Kit.Models["net-ort"].OpTypeCounts.GetValueOrDefault("BatchNormalization")); // BASIC folds Conv+BN
        Assert.Contains("ort-optimize(level=basic)", Kit.Models["net-ort"].Lineage.ToString());
    }

    [Theory]
    [InlineData("#!fuse", "#!fuse needs the name of a loaded model.")]
    [InlineData("#!fuse net --passes fold-everything", "Unknown pass 'fold-everything'; use some of")]
    [InlineData("#!fuse net --runs 1", "--runs must be a whole number from 3 to 100000, not '1'.")]
    [InlineData("#!optimize net --level turbo", "--level takes basic, extended or all, not 'turbo'.")]
    [InlineData("#!optimize nosuch", "No model named 'nosuch' in the workspace.")]
    public async Task BadInput_GetsTheKitsOwnMessage_AndTheKernelKeepsWorking(string cell, string message)
    {
        using var k = await StartAsync();
        Kit.Models["net"] = ConvBnNet();
        Assert.Contains(message, Failure(await k.RunAsync(cell)));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }
}
