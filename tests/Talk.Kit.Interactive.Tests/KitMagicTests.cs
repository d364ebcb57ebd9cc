using System.Text.Json;
using Microsoft.DotNet.Interactive.Events;
using static Talk.Kit.Interactive.Tests.KernelHarness;

namespace Talk.Kit.Interactive.Tests;

public class KitMagicTests
{
    [Fact]
    public async Task Kit_ReportsVersionsMachineAndCommands_InHtmlTextAndJson()
    {
        using var k = await StartAsync();
        var events = await k.RunAsync("#!kit --sizes 64,128 --runs 3");

        Assert.Null(Failure(events));
        string html = Formatted(events, "text/html")!;
        Assert.Contains("Talk.Kit 0.1.0", html);
        Assert.Contains("ONNX Runtime", html);
        Assert.Contains("#!kit", html);
        Assert.Contains("class=\"talkkit-chart\"", html);
        Assert.Contains("Plotly.newPlot", html);

        string text = Formatted(events, "text/plain")!;
        Assert.Contains("Magic commands", text);
        Assert.DoesNotContain("<div", text);

        using var json = JsonDocument.Parse(Formatted(events, "application/json")!);
        var root = json.RootElement;
        Assert.Equal("0.1.0", root.GetProperty("engine").GetProperty("kitVersion").GetString());
        Assert.Contains("CPUExecutionProvider", root.GetProperty("engine").GetProperty("executionProviders").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("engine").GetProperty("machine").GetProperty("physicalCores").GetInt32() >= 1);
        var points = root.GetProperty("throughput").GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([64, 128], points.Select(p => p.GetProperty("size").GetInt32()));
        Assert.All(points, p => Assert.True(p.GetProperty("fp32GigaOpsPerSecond").GetDouble() > 0.01));
        Assert.All(points, p => Assert.Equal(3, p.GetProperty("int8").GetProperty("latency").GetProperty("samples").GetArrayLength()));
        Assert.True(root.GetProperty("torch").GetProperty("works").GetBoolean(), root.GetProperty("torch").GetProperty("error").ToString());
        Assert.Contains("#!kit", root.GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Kit_EmbedsPlotlyJsOnlyOncePerSession()
    {
        using var k = await StartAsync();
        Views.ScriptLibraries.Reset();
        string first = Formatted(await k.RunAsync("#!kit --sizes 32 --runs 1"), "text/html")!;
        string second = Formatted(await k.RunAsync("#!kit --sizes 32 --runs 1"), "text/html")!;
        Assert.Contains("plotly.js v4", first);
        Assert.DoesNotContain("plotly.js v4", second);
        Assert.Contains("Plotly.newPlot", second);
    }

    [Theory]
    [InlineData("#!kit --runs -3", "--runs must be a whole number from 1 to 10000, not '-3'. Try: #!kit --runs 15")]
    [InlineData("#!kit --runs many", "--runs must be a whole number from 1 to 10000, not 'many'. Try: #!kit --runs 15")]
    [InlineData("#!kit --threads 0", "--threads must be a whole number from 1 to 1024, not '0'.")]
    [InlineData("#!kit --sizes 128,x", "--sizes takes whole numbers from 1 to 4096 separated by commas, not '128,x'. Try: #!kit --sizes 128,256,512")]
    [InlineData("#!kit --as 9lives", "--as takes a name of letters, digits, '-', '_' or '.', starting with a letter, not '9lives'. Try: #!kit --as info")]
    public async Task Kit_BadOption_GivesTheKitsOwnMessage_AndTheKernelKeepsWorking(string cell, string message)
    {
        using var k = await StartAsync();
        var failed = await k.RunAsync(cell);
        Assert.Contains(message, Failure(failed));

        var after = await k.RunAsync("1 + 1");
        Assert.Null(Failure(after));
        Assert.Equal(2, ReturnValue(after));
    }

    [Fact]
    public async Task Kit_UnknownOption_IsRejectedByTheParser_AndTheKernelKeepsWorking()
    {
        using var k = await StartAsync();
        Assert.Contains("--bogus", Failure(await k.RunAsync("#!kit --bogus 1")));
        Assert.Equal(2, ReturnValue(await k.RunAsync("1 + 1")));
    }

    [Fact]
    public async Task Kit_As_SharesTheReportWithCSharpCells()
    {
        using var k = await StartAsync();
        Assert.Null(Failure(await k.RunAsync("#!kit --sizes 32 --runs 1 --as info")));
        await k.RunAsync($"#r \"{typeof(KitInfo).Assembly.Location}\"");
        await k.RunAsync($"#r \"{typeof(KitReport).Assembly.Location}\"");
        var events = await k.RunAsync("((Talk.Kit.Interactive.KitReport)Talk.Kit.Kit.Results[\"info\"]).Throughput.Points[0].Size");
        Assert.Null(Failure(events));
        Assert.Equal(32, ReturnValue(events));
    }
}
