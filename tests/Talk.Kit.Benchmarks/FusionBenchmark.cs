using System.Text.Json;
using Talk.Kit.Fusion;
using Talk.Kit.IO;

namespace Talk.Kit.Benchmarks;

/// <summary>
/// The graph-fusion goal: on each model, ours at ORT DISABLE_ALL within 5% of the original at ORT EXTENDED, ours at
/// ALL no slower than the original at ALL, outputs within 1e-4 relative error. Ratios are medians of per-round
/// ratios over interleaved rounds; the graph matches say whether a ratio can differ from 1 for any reason but noise.
/// </summary>
internal static class FusionBenchmark
{
    public static Task RunAsync(BenchmarkArguments args, CancellationToken cancellationToken)
    {
        foreach (string name in args.ModelsOr("vgg-bn", "resnet18"))
        {
            var model = BenchmarkModels.Get(name);
            var fused = FusionPipeline.Default.Run(model);
            foreach (int batch in args.BatchesOr(1))
            {
                var comparison = FusionComparison.Measure(model, fused.Model, batch, args.Threads, args.Runs, new ConsoleProgress($"{name} b{batch}"), cancellationToken);
                Print(name, batch, fused, comparison);
                Save($"fusion-{name}-b{batch}.json", new { model = name, batch, fused.Report.EndToEnd, comparison });
            }
        }
        return Task.CompletedTask;
    }

    private static void Print(string name, int batch, FusionResult fused, FusionComparison c)
    {
        var e = fused.Report.EndToEnd;
        Console.WriteLine($"## {name}, batch {batch}, {c.Latency.Variants[0].Threads} thread(s): {fused.Report.NodesBefore} → {fused.Report.NodesAfter} nodes; " +
            (e is null ? "nothing fused" : $"max |Δ| {e.MaxAbsDiff:0.##e+0} = {e.MaxDiffOverScale:0.##e+0} of the largest output (goal ≤ 1e-4); element-wise max relative {e.MaxRelDiff:0.##e+0}, tolerance {e.Tolerance}"));
        foreach (var m in c.Matches) Console.WriteLine($"- {m}");
        Console.WriteLine("| variant | median ms | p10–p90 ms | × original off |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var v in c.Latency.Variants)
            Console.WriteLine($"| {v.Name} | {v.Timing.Latency.Median:0.000} | {v.Timing.Latency.P10:0.000}–{v.Timing.Latency.P90:0.000} | {v.Timing.RatioToBaseline.Median:0.000} |");
        Console.WriteLine($"ours off / original extended = {c.OursOffOverOriginalExtended:0.000} (goal ≤ 1.05); ours all / original all = {c.OursAllOverOriginalAll:0.000} (goal ≤ 1); {c.Latency.Rounds} rounds");
        Console.WriteLine();
    }

    internal static void Save(string file, object value)
    {
        string path = ArtifactPath(file);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        Console.Error.WriteLine($"  wrote {path}");
    }

    /// <summary>Writes a binary artifact (e.g. a .tkdc file) beside the JSON; returns its path.</summary>
    internal static string SaveBytes(string file, byte[] bytes)
    {
        string path = ArtifactPath(file);
        AtomicFile.WriteAllBytes(path, bytes);
        Console.Error.WriteLine($"  wrote {path}");
        return path;
    }

    private static string ArtifactPath(string file)
    {
        string folder = Path.Combine(RepositoryRoot(), "artifacts", "benchmarks");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, file);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Talk.Kit.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
