using Talk.Kit.Models;
using Talk.Kit.Runtime.Profiling;

namespace Talk.Kit.Tests.Runtime.Profiling;

/// <summary>
/// Samples/small-cnn-profile.json was written by ONNX Runtime 1.31.1 (verbatim): <see cref="ProfilingNets.SmallCnn"/>
/// at batch 2, 1 thread, ORT_ENABLE_ALL, 3 runs on zeros, then EndProfiling.
/// </summary>
public class OrtProfileParserTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "Runtime", "Profiling", "Samples", "small-cnn-profile.json");

    [Fact]
    public void RecordedSample_HasThreeRuns_WithOrtsTimes()
    {
        var trace = OrtProfileParser.ParseFile(SamplePath);

        Assert.Equal(SamplePath, trace.Source);
        Assert.Equal([new OrtRunSpan(0, 1583, 219), new OrtRunSpan(1, 1826, 132), new OrtRunSpan(2, 1972, 78)], trace.Runs);
    }

    [Fact]
    public void RecordedSample_KernelEvents_KeepExecutedNamesOpsProvidersAndDurations()
    {
        var trace = OrtProfileParser.ParseFile(SamplePath);

        // Conv+Relu ran as one NCHWc Conv named after the Relu's output "r"; ReorderOutput converts NCHW8c back to NCHW.
        string[] names = ["r_nchwc", "ReorderOutput", "pool", "flatten", "fc"];
        Assert.Equal([.. names, .. names, .. names], trace.Nodes.Select(n => n.Node));
        Assert.Equal(["Conv", "ReorderOutput", "MaxPool", "Flatten", "Gemm"], trace.Nodes.Take(5).Select(n => n.OpType));
        Assert.All(trace.Nodes, n => Assert.Equal("CPUExecutionProvider", n.Provider));
        Assert.Equal([96.0, 10, 12, 8, 13, 14, 6, 7, 38, 9, 12, 6, 7, 5, 7], trace.Nodes.Select(n => n.DurationMicroseconds));
        Assert.Equal([1603.0, 1706, 1722, 1749, 1761], trace.Nodes.Take(5).Select(n => n.StartMicroseconds));
        // Node events precede their model_run event in the file: grouping is by time.
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2], trace.Nodes.Select(n => n.Run));
    }

    [Fact]
    public void RecordedSample_Shapes_AreReadFromTheTypedLists()
    {
        var conv = OrtProfileParser.ParseFile(SamplePath).Nodes[0];

        // The NCHWc conv pads 4 output channels to a block of 8.
        Assert.Equal([TensorShape.Of(2, 1, 8, 8), TensorShape.Of(8, 1, 3, 3), TensorShape.Of(8)], conv.InputShapes);
        Assert.Equal([TensorShape.Of(2, 8, 8, 8)], conv.OutputShapes);
    }

    [Fact]
    public void FenceEvents_AndOtherSessionEvents_AreIgnored()
    {
        var trace = OrtProfileParser.Parse("""
            [{"cat":"Session","name":"session_initialization","ts":0,"dur":50},
             {"cat":"Node","name":"conv_fence_before","ts":101,"dur":0},
             {"cat":"Node","name":"conv_kernel_time","ts":101,"dur":7,"args":{"op_name":"Conv","provider":"CPUExecutionProvider"}},
             {"cat":"Node","name":"conv_fence_after","ts":108,"dur":0},
             {"cat":"Session","name":"SequentialExecutor::Execute","ts":100,"dur":9},
             {"cat":"Session","name":"model_run","ts":100,"dur":10}]
            """);

        Assert.Equal("conv", Assert.Single(trace.Nodes).Node);
        Assert.Single(trace.Runs);
    }

    [Fact]
    public void MissingFields_AreTolerated_EventsWithoutTimesSkipped()
    {
        var trace = OrtProfileParser.Parse("""
            [{"cat":"Node","name":"a_kernel_time","ts":5,"dur":3},
             {"cat":"Node","name":"b_kernel_time","ts":6,"dur":1,"args":{"input_type_shape":"odd"}},
             {"cat":"Node","name":"c_kernel_time","ts":7},
             {"cat":"Node","ts":8,"dur":1},
             {"cat":"Node","name":"_kernel_time","ts":8,"dur":1},
             42,
             {"cat":"Node","name":"late_kernel_time","ts":500,"dur":2},
             {"cat":"Session","name":"model_run","ts":0,"dur":10}]
            """);

        Assert.Equal(["a", "b", "late"], trace.Nodes.Select(n => n.Node));
        Assert.Equal("", trace.Nodes[0].OpType);
        Assert.Equal("", trace.Nodes[0].Provider);
        Assert.Empty(trace.Nodes[1].InputShapes);
        Assert.Equal([0, 0, null], trace.Nodes.Select(n => n.Run)); // 500 µs lies after the only run
    }

    [Fact]
    public void TruncatedFile_IsAnError_NamingTheFile()
    {
        string json = File.ReadAllText(SamplePath);
        var e = Assert.Throws<OrtProfileFormatException>(() => OrtProfileParser.Parse(json[..(json.Length / 2)], "/tmp/run_1.json"));

        Assert.StartsWith("/tmp/run_1.json: not valid JSON", e.Message);
        Assert.Equal("/tmp/run_1.json", e.Location);
        Assert.IsAssignableFrom<IOException>(e);
    }

    [Fact]
    public void NotAnArray_IsAnError()
    {
        var e = Assert.Throws<OrtProfileFormatException>(() => OrtProfileParser.Parse("""{"traceEvents":[]}""", "p.json"));

        Assert.Contains("p.json: expected a JSON array of trace events, found a JSON object", e.Message);
    }
}
