using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

/// <summary>ONNX Runtime and TorchSharp native code run inside a kernel cell, as in a notebook.</summary>
public class NativeCodeInKernelTests
{
    [Fact]
    public async Task TorchSharpTensorCode_RunsInACell()
    {
        using var k = await StartAsync(); // the extension applied the libstdc++ fix where needed
        await k.RunAsync($"#r \"{typeof(TorchSharp.torch).Assembly.Location}\"");
        var events = await k.RunAsync("TorchSharp.torch.ones(3, 4).matmul(TorchSharp.torch.ones(4, 2)).sum().item<float>()");
        Assert.Null(Failure(events));
        Assert.Equal(24f, ReturnValue(events)); // 6 entries, each 4
    }

    [Fact]
    public async Task OnnxRuntimeSession_RunsInACell()
    {
        using var k = await StartAsync();
        await k.RunAsync($"#r \"{typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location}\"");
        await k.RunAsync($"#r \"{typeof(KitInfo).Assembly.Location}\"");
        var events = await k.RunAsync("""
            using Microsoft.ML.OnnxRuntime;
            using Talk.Kit.Models;
            var onnx = new OnnxGraphBuilder("add").Input("x", OnnxElementType.Float, 2)
                .Initializer("b", new float[] { 10, 20 }, 2).Node("Add", new[] { "x", "b" }, new[] { "y" })
                .Output("y", OnnxElementType.Float, 2).ToBytes();
            var session = Talk.Kit.Runtime.Ort.CreateSession(onnx);
            var x = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2 }, new long[] { 2 });
            var y = session.Run(new RunOptions(), new[] { "x" }, new[] { x }, new[] { "y" });
            var sum = y[0].GetTensorDataAsSpan<float>().ToArray().Sum();
            session.Dispose();
            sum
            """);
        Assert.Null(Failure(events));
        Assert.Equal(33f, ReturnValue(events));
    }
}
