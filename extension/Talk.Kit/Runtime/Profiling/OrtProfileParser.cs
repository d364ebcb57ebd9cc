using System.Text.Json;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime.Profiling;

/// <summary>
/// Reads the profile ONNX Runtime writes when a session has <c>EnableProfiling</c> on: a Chrome trace-event JSON array
/// (open it in chrome://tracing or Perfetto to see the same data). Two kinds of event matter here, both complete
/// events (<c>ph:"X"</c>) with <c>ts</c> and <c>dur</c> in microseconds:
/// <list type="bullet">
/// <item><c>{"cat":"Session","name":"model_run"}</c>: one per <c>session.Run</c>;</item>
/// <item><c>{"cat":"Node","name":"conv1_kernel_time","args":{"op_name":"Conv","provider":"CPUExecutionProvider",
/// "input_type_shape":[{"float":[1,1,28,28]},…],"output_type_shape":[…]}}</c>: one per kernel execution.</item>
/// </list>
/// Everything else (<c>model_loading_array</c>, <c>session_initialization</c>, <c>SequentialExecutor::Execute</c>, and the
/// <c>_fence_before</c>/<c>_fence_after</c> node events older ORT versions write) is skipped, as is an event missing
/// its name, <c>ts</c> or <c>dur</c>. ORT writes an event when it ends, so a run's node events come before its
/// <c>model_run</c> event: runs are matched by time, not by order in the file.
/// </summary>
public static class OrtProfileParser
{
    private const string KernelSuffix = "_kernel_time";

    /// <summary>Reads and parses a profile file.</summary>
    public static OrtTrace ParseFile(string path)
    {
        string full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Parses profile text.</summary>
    /// <param name="json">The file's content.</param>
    /// <param name="source">The file it came from, named in errors.</param>
    /// <exception cref="OrtProfileFormatException">The text is not a JSON array.</exception>
    public static OrtTrace Parse(string json, string source = "ONNX Runtime profile")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OrtProfileFormatException(source, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                throw new OrtProfileFormatException(source, $"expected a JSON array of trace events, found a JSON {root.ValueKind.ToString().ToLowerInvariant()}");
            var runs = new List<(double Start, double Duration)>();
            var kernels = new List<JsonElement>();
            foreach (var e in root.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object || Text(e, "name") is not { } name || Number(e, "ts") is not { } ts || Number(e, "dur") is not { } dur)
                    continue;
                string? category = Text(e, "cat");
                if (category == "Session" && name == "model_run")
                    runs.Add((ts, dur));
                else if (category == "Node" && name.EndsWith(KernelSuffix, StringComparison.Ordinal) && name.Length > KernelSuffix.Length)
                    kernels.Add(e);
            }
            var spans = runs.OrderBy(r => r.Start).Select((r, i) => new OrtRunSpan(i, r.Start, r.Duration)).ToArray();
            var nodes = kernels.Select(e => Node(e, spans)).OrderBy(n => n.StartMicroseconds).ToArray(); // OrderBy is stable
            return new OrtTrace(source, spans, nodes);
        }
    }

    private static OrtNodeEvent Node(JsonElement e, OrtRunSpan[] runs)
    {
        string name = Text(e, "name")!;
        double start = Number(e, "ts")!.Value;
        var args = e.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        return new OrtNodeEvent(
            Node: name[..^KernelSuffix.Length],
            OpType: args.ValueKind == JsonValueKind.Object ? Text(args, "op_name") ?? "" : "",
            Provider: args.ValueKind == JsonValueKind.Object ? Text(args, "provider") ?? "" : "",
            StartMicroseconds: start,
            DurationMicroseconds: Number(e, "dur")!.Value,
            Run: RunAt(runs, start),
            InputShapes: Shapes(args, "input_type_shape"),
            OutputShapes: Shapes(args, "output_type_shape"));
    }

    /// <summary>The run whose [start, end] holds <paramref name="ts"/>: the last run starting at or before it, if it has not ended.</summary>
    private static int? RunAt(OrtRunSpan[] runs, double ts)
    {
        int lo = 0, hi = runs.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (runs[mid].StartMicroseconds <= ts) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found >= 0 && runs[found].Contains(ts) ? found : null;
    }

    /// <summary>ORT writes a shape list as <c>[{"float":[2,1,8,8]},{"float":[8]}]</c>: one single-key object per tensor.</summary>
    private static TensorShape[] Shapes(JsonElement args, string property)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
            return [];
        var shapes = new List<TensorShape>();
        foreach (var tensor in list.EnumerateArray())
        {
            if (tensor.ValueKind != JsonValueKind.Object)
                continue;
            foreach (var typed in tensor.EnumerateObject())
                if (typed.Value.ValueKind == JsonValueKind.Array && typed.Value.EnumerateArray().All(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out _)))
                {
                    shapes.Add(new TensorShape(typed.Value.EnumerateArray().Select(d => d.GetInt64()).ToArray()));
                    break;
                }
        }
        return shapes.ToArray();
    }

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
