using System.Text.Json;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

/// <summary>#!quantize in a real kernel, on a small Fashion-MNIST-shaped net: Conv → BatchNorm → Relu → MaxPool → Flatten → Gemm.</summary>
public sealed class QuantizeMagicTests
{
    private static Model SmallNet()
    {
        var random = new Random(9);
        float[] R(int n, float lo = -0.3f, float hi = 0.3f) => Enumerable.Range(0, n).Select(_ => lo + (float)random.NextDouble() * (hi - lo)).ToArray();
        var bytes = new OnnxGraphBuilder("small", opset: 13).Input("x", OnnxElementType.Float, -1, 1, 28, 28)
            .Initializer("w", R(8 * 9), 8, 1, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], new Dictionary<string, object> { ["pads"] = new long[] { 1, 1, 1, 1 } }, name: "conv")
            .Initializer("gamma", R(8, 0.5f, 1.5f), 8).Initializer("beta", R(8), 8).Initializer("mean", R(8), 8).Initializer("var", R(8, 0.5f, 2f), 8)
            .Node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["n"], name: "bn")
            .Node("Relu", ["n"], ["r"], name: "relu")
            .Node("MaxPool", ["r"], ["p"], new Dictionary<string, object> { ["kernel_shape"] = new long[] { 2, 2 }, ["strides"] = new long[] { 2, 2 } }, name: "pool")
            .Node("Flatten", ["p"], ["f"], name: "flatten")
            .Initializer("W", R(10 * 8 * 14 * 14, -0.05f, 0.05f), 10, 8 * 14 * 14)
            .Node("Gemm", ["f", "W"], ["y"], new Dictionary<string, object> { ["transB"] = 1L }, name: "fc")
            .Output("y", OnnxElementType.Float, -1, 10).ToBytes();
        return ModelLoader.Load(bytes, "small");
    }

    [Fact]
    public async Task Quantize_MakesAnInt8Model_AndReportsItAsHtmlTextAndJson()
    {
        using var k = await StartAsync();
        Kit.Models["net"] = SmallNet();
        var events = await k.RunAsync("#!quantize net --calibration entropy --samples 64 --images 200 --batch 1 --runs 3 --as net-int8");
        Assert.Null(Failure(events));

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.Equal("net-int8", root.GetProperty("quantized").GetString());
        Assert.Contains("Entropy", root.GetProperty("method").GetString());
        Assert.Equal(1, root.GetProperty("kernels").GetProperty("integerKernels").GetProperty("com.microsoft:QLinearConv").GetInt32());
        Assert.Equal(200, root.GetProperty("quality").GetProperty("quantizedAccuracy").GetProperty("images").GetInt32());
        Assert.Equal(2, root.GetProperty("layerErrors").GetArrayLength());      // conv and fc
        Assert.True(Kit.Models["net-int8"].OpTypeCounts.ContainsKey("QuantizeLinear"));
        Assert.Contains("quantize", Kit.Models["net-int8"].Lineage.ToString());
        string html = Formatted(events, "text/html")!;
        Assert.Equal(3, html.Split("class=\"talkkit-chart\"").Length - 1);   // latency box plot, SQNR bars, weight histogram
        Assert.Contains("What ONNX Runtime actually runs", html);
        Assert.Contains("latency batch 1", Formatted(events, "text/plain"));
    }

    [Theory]
    [InlineData("#!quantize", "#!quantize needs the name of a loaded model.")]
    [InlineData("#!quantize net --method int4", "--method takes static, dynamic, fp16 or qat, not 'int4'.")]
    [InlineData("#!quantize net --method qat --bits 4", "QAT fine-tunes the TorchSharp network behind 'net'")]
    [InlineData("#!quantize net --method qat --calibration entropy", "QAT tracks its activation ranges while training")]
    [InlineData("#!quantize net --epochs 2", "--epochs and --train-images apply to --method qat only.")]
    [InlineData("#!quantize net --calibration kl", "--calibration takes minmax, percentile or entropy, not 'kl'.")]
    [InlineData("#!quantize net --max-accuracy-drop 150%", "--max-accuracy-drop must be from 0% to 99.9%")]
    [InlineData("#!quantize net --per-channel --per-tensor", "Choose --per-channel or --per-tensor, not both.")]
    [InlineData("#!quantize net --method fp16 --samples 10", "apply to --method static only")]
    [InlineData("#!quantize nosuch", "No model named 'nosuch' in the workspace.")]
    public async Task BadInput_GetsTheKitsOwnMessage_AndTheKernelKeepsWorking(string cell, string message)
    {
        using var k = await StartAsync();
        Kit.Models["net"] = SmallNet();
        Assert.Contains(message, Failure(await k.RunAsync(cell)));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }
}
