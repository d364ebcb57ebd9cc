using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Interactive.Views;
using Talk.Kit.Runtime.Profiling;

namespace Talk.Kit.Interactive.Commands;

/// <summary><c>#!profile &lt;model&gt; [--batch 1,64] [--threads N] [--runs N] [--level all] [--vs a,b] [--as name]</c>.</summary>
public sealed class ProfileMagic : IMagicCommand
{
    public string Name => "#!profile";
    public string Description => "Where the time goes: latency distribution (interleaved, vs other models), per-operator breakdown, and the roofline of this machine.";
    public string Example => "#!profile lenet --batch 1,64 --runs 30";

    public void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A model in the workspace.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--batch", "Batch sizes, comma-separated (default 1)."),
                new KernelDirectiveParameter("--threads", "ONNX Runtime intra-op threads (default: physical cores)."),
                new KernelDirectiveParameter("--runs", "Measured rounds (default 30)."),
                new KernelDirectiveParameter("--level", "Graph optimization: disabled, basic, extended or all (default all)."),
                new KernelDirectiveParameter("--vs", "Other workspace models to compare with, comma-separated."),
                new KernelDirectiveParameter("--as", "Store the report in the workspace: Kit.Results[\"name\"]."),
            },
        };
        kernel.AddDirective<ProfileDirectiveCommand>(directive, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => RunAsync(c, ctx)));
    }

    private static async Task RunAsync(ProfileDirectiveCommand command, KernelInvocationContext context)
    {
        var (options, _) = command.Parse();
        var models = new[] { command.Name! }.Concat(options.Versus).Select(n => (n, Kit.Workspace.Model(n))).ToList();
        var progress = new ProgressView(context, $"Profiling {command.Name}");
        var report = await Task.Run(() => ProfileReport.Measure(models, options.Batches, options.Threads, options.Runs, options.Level,
            stage: text => progress.Report(text, 0, force: true), progress: progress.ForBenchmark(), cancellationToken: context.CancellationToken),
            context.CancellationToken);
        progress.Done($"done: {report.Latency.Rounds} rounds of {report.Latency.Variants.Count} variant(s)");
        if (command.As is { } name) Kit.Results[name] = report;
        context.Display(report, Formatters.ReportMimeTypes);
    }
}

/// <summary>The options of <c>#!profile</c>, bound by name (values as typed, parsed by the kit).</summary>
public sealed class ProfileDirectiveCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Batch { get; set; }
    public string? Threads { get; set; }
    public string? Runs { get; set; }
    public string? Level { get; set; }
    public string? Vs { get; set; }
    public string? As { get; set; }

    internal sealed record Options(IReadOnlyList<int> Batches, int? Threads, int Runs, GraphOptimizationLevel Level, IReadOnlyList<string> Versus);

    private static readonly Dictionary<string, GraphOptimizationLevel> levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disabled"] = GraphOptimizationLevel.ORT_DISABLE_ALL,
        ["basic"] = GraphOptimizationLevel.ORT_ENABLE_BASIC,
        ["extended"] = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        ["all"] = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (Options Options, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("#!profile needs the name of a loaded model. Try: #!model load lenet-5 --as lenet, then #!profile lenet");
        var batches = OptionParser.IntList(Batch, "--batch", 1, 4096, "#!profile lenet --batch 1,64", errors) ?? [1];
        int? threads = OptionParser.Int(Threads, "--threads", 1, 1024, $"#!profile lenet --threads {Runtime.MachineInfo.Current.PhysicalCores}", errors);
        int runs = OptionParser.Int(Runs, "--runs", 3, 100_000, "#!profile lenet --runs 30", errors) ?? 30;
        var level = GraphOptimizationLevel.ORT_ENABLE_ALL;
        if (Level is not null && !levels.TryGetValue(Level, out level))
            errors.Add($"--level takes disabled, basic, extended or all, not '{Level}'. Try: #!profile lenet --level extended");
        var versus = (Vs ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        OptionParser.Name(As, "--as", "#!profile lenet --as lenet-profile", errors);
        return (new Options(batches, threads, runs, level, versus), errors);
    }
}
