using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Talk.Kit.Fusion;
using Talk.Kit.Interactive.Views;

namespace Talk.Kit.Interactive.Commands;

/// <summary><c>#!fuse &lt;model&gt; [--passes a,b] [--runs N] --as name</c>: the kit's graph passes, each verified by ONNX Runtime.</summary>
public sealed class FuseMagic : IMagicCommand
{
    public string Name => "#!fuse";
    public string Description => "Fuse a model with the kit's graph passes (each checked by ONNX Runtime), beside ORT's own optimizer, with latencies.";
    public string Example => "#!fuse vgg --as vgg-fused";

    public void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A model in the workspace.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--passes", $"Passes to run, comma-separated (default: all: {string.Join(", ", FusionStudy.PassNames)})."),
                new KernelDirectiveParameter("--runs", "Measured rounds of the latency comparison (default 30)."),
                new KernelDirectiveParameter("--as", "Workspace name of the fused model (default: <name>-fused)."),
            },
        };
        kernel.AddDirective<FuseDirectiveCommand>(directive, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => RunAsync(c, ctx)));
    }

    private static async Task RunAsync(FuseDirectiveCommand command, KernelInvocationContext context)
    {
        var (passes, runs, _) = command.Parse();
        var model = Kit.Workspace.Model(command.Name!);
        var progress = new ProgressView(context, $"Fusing {command.Name}");
        var study = await Task.Run(() => FusionStudy.Run(model, passes, runs: runs, progress: progress.ForBenchmark(), cancellationToken: context.CancellationToken), context.CancellationToken);
        progress.Done($"{study.Result.Report.NodesBefore} → {study.Result.Report.NodesAfter} nodes, every pass verified");
        string name = command.As ?? $"{command.Name}-fused";
        Kit.Models[name] = study.Result.Model;
        context.Display(new FuseReport(command.Name!, name, study), Formatters.ReportMimeTypes);
    }
}

/// <summary>The options of <c>#!fuse</c>.</summary>
public sealed class FuseDirectiveCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Passes { get; set; }
    public string? Runs { get; set; }
    public string? As { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (IReadOnlyList<string>? Passes, int Runs, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("#!fuse needs the name of a loaded model. Try: #!model load vgg-bn --as vgg, then #!fuse vgg --as vgg-fused");
        var passes = Passes?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = passes?.Where(p => !FusionStudy.PassNames.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList() ?? [];
        if (unknown.Count > 0)
            errors.Add($"Unknown pass {string.Join(", ", unknown.Select(u => $"'{u}'"))}; use some of {string.Join(", ", FusionStudy.PassNames)}. Try: #!fuse vgg --passes fold-conv-bn");
        int runs = OptionParser.Int(Runs, "--runs", 3, 100_000, "#!fuse vgg --runs 30", errors) ?? 30;
        OptionParser.Name(As, "--as", "#!fuse vgg --as vgg-fused", errors);
        return (passes, runs, errors);
    }
}
