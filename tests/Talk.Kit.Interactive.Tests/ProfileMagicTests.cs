using System.Text.Json;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

/// <summary>#!profile in a real kernel, on small hand-built models (the machine roofline is measured once per machine and cached).</summary>
public sealed class ProfileMagicTests
{
    // Conv (1→8, 3×3) → Relu → Flatten → Gemm (8·8·8 → 10) on [batch,1,8,8].
    private static Model SmallCnn(string name, float scale = 1)
    {
        var random = new Random(3);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5) * scale).ToArray();
        var bytes = new OnnxGraphBuilder(name).Input("x", OnnxElementType.Float, -1, 1, 8, 8)
            .Initializer("w", R(8 * 9), 8, 1, 3, 3).Initializer("b", R(8), 8)
            .Node("Conv", ["x", "w", "b"], ["c"], new Dictionary<string, object> { ["pads"] = new long[] { 1, 1, 1, 1 } }, name: "conv")
            .Node("Relu", ["c"], ["r"], name: "relu")
            .Node("Flatten", ["r"], ["f"], name: "flatten")
            .Initializer("W", R(10 * 512), 10, 512)
            .Node("Gemm", ["f", "W"], ["y"], new Dictionary<string, object> { ["transB"] = 1L }, name: "fc")
            .Output("y", OnnxElementType.Float, -1, 10).ToBytes();
        return ModelLoader.Load(bytes, name);
    }

    [Fact]
    public async Task Profile_ShowsLatencyOperatorsAndRoofline_ForEveryBatch()
    {
        using var k = await StartAsync();
        Kit.Models["cnn"] = SmallCnn("cnn");
        var events = await k.RunAsync("#!profile cnn --batch 1,8 --runs 5 --as p");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        var variants = root.GetProperty("latency").GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(["cnn b1", "cnn b8"], variants.Select(v => v.GetProperty("name").GetString()));
        Assert.All(variants, v => Assert.Equal(5, v.GetProperty("timing").GetProperty("latency").GetProperty("samples").GetArrayLength()));
        Assert.NotEmpty(root.GetProperty("operators").GetProperty("nodes").EnumerateArray());
        var rooflineNodes = root.GetProperty("roofline").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("node").GetString()).ToList();
        Assert.Contains("conv", rooflineNodes); // timed without graph optimization: the model's own names
        Assert.Contains("fc", rooflineNodes);

        string html = Formatted(events, "text/html")!;
        Assert.Equal(3, html.Split("class=\"talkkit-chart\"").Length - 1); // latency, op types, roofline
        Assert.Contains("class=\"talkkit-timeline\"", html);
        Assert.Contains("Roofline of this machine", html);
        Assert.True(Kit.Results.ContainsKey("p"));
    }

    [Fact]
    public async Task Vs_ComparesModelsInterleaved()
    {
        using var k = await StartAsync();
        Kit.Models["a"] = SmallCnn("a");
        Kit.Models["b"] = SmallCnn("b", scale: 2);
        var events = await k.RunAsync("#!profile a --vs b --runs 5");
        Assert.Null(Failure(events));
        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var variants = json.RootElement.GetProperty("latency").GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], variants.Select(v => v.GetProperty("name").GetString()));
        Assert.Equal(1.0, variants[0].GetProperty("timing").GetProperty("ratioToBaseline").GetProperty("median").GetDouble());
    }

    [Theory]
    [InlineData("#!profile", "#!profile needs the name of a loaded model.")]
    [InlineData("#!profile nosuch", "No model named 'nosuch' in the workspace.")]
    [InlineData("#!profile cnn --batch 0", "--batch takes whole numbers from 1 to 4096 separated by commas, not '0'. Try: #!profile lenet --batch 1,64")]
    [InlineData("#!profile cnn --threads 0", "--threads must be a whole number from 1 to 1024, not '0'.")]
    [InlineData("#!profile cnn --runs 1", "--runs must be a whole number from 3 to 100000, not '1'. Try: #!profile lenet --runs 30")]
    [InlineData("#!profile cnn --level turbo", "--level takes disabled, basic, extended or all, not 'turbo'.")]
    [InlineData("#!profile cnn --vs nosuch", "No model named 'nosuch' in the workspace.")]
    public async Task BadInput_GetsTheKitsOwnMessage_AndTheKernelKeepsWorking(string cell, string message)
    {
        using var k = await StartAsync();
        Kit.Models["cnn"] = SmallCnn("cnn");
        Assert.Contains(message, Failure(await k.RunAsync(cell)));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }
}
