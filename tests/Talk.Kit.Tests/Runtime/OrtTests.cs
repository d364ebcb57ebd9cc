using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Runtime;

public class OrtTests
{
    [Fact]
    public void TelemetryOptOut_IsInTheNativeEnvironment_WhereOnnxRuntimeReadsIt()
    {
        _ = Ort.Environment;
        Assert.Equal("1", Marshal.PtrToStringAnsi(getenv("ORT_DISABLE_TELEMETRY")));
        Assert.Equal("1", Environment.GetEnvironmentVariable("DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"));
    }

    [Fact]
    public void Providers_IncludeCpu_AndVersionIsTheOnePinned()
    {
        Assert.Contains("CPUExecutionProvider", Ort.AvailableProviders);
        Assert.Equal("1.31.1", Ort.Version);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void ThreadsBelowOne_AreAClearError(int threads)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Ort.CreateSessionOptions(threads));
        Assert.Contains("Thread count must be at least 1", error.Message);
    }

    [Fact]
    public void BuiltGraph_RunsInOnnxRuntime_WithTheExpectedIntegerResult()
    {
        // MatMulInteger: (A − a0)·(B − b0) in int32. A = [[130, 128], [127, 129]], a0 = 128; B = [[1, -2], [3, 4]], b0 = 0.
        byte[] onnx = new OnnxGraphBuilder("mmi")
            .Input("A", OnnxElementType.UInt8, 2, 2)
            .Initializer("B", [(sbyte)1, (sbyte)-2, (sbyte)3, (sbyte)4], 2, 2)
            .Initializer("a0", [(byte)128])
            .Initializer("b0", [(sbyte)0])
            .Node("MatMulInteger", ["A", "B", "a0", "b0"], ["Y"])
            .Output("Y", OnnxElementType.Int32, 2, 2)
            .ToBytes();
        using var session = Ort.CreateSession(onnx, threads: 1);
        using var a = OrtValue.CreateTensorValueFromMemory(new byte[] { 130, 128, 127, 129 }, [2, 2]);
        using var run = new RunOptions();
        using var y = session.Run(run, ["A"], [a], ["Y"]);
        // [[2, 0], [-1, 1]] · [[1, -2], [3, 4]] = [[2, -4], [2, 6]]
        Assert.Equal([2, -4, 2, 6], y[0].GetTensorDataAsSpan<int>().ToArray());
    }

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
