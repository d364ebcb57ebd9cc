using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Talk.Kit.Interactive.Views;
using Talk.Kit.Runtime.Probes;
using Talk.Kit.Training;

namespace Talk.Kit.Interactive.Commands;

/// <summary><c>#!kit [--sizes 128,256,512] [--runs 15] [--threads 2] [--as name]</c>: what the kit is, this machine, and a measurement made now.</summary>
public sealed class KitMagic(Func<IReadOnlyList<MagicCommandHelp>> commands) : IMagicCommand
{
    public string Name => "#!kit";
    public string Description => "What the kit is: versions, this machine, ONNX Runtime, datasets, commands, and fp32 vs int8 throughput measured now.";
    public string Example => "#!kit --sizes 256,512 --runs 10";

    public void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = Description,
            Parameters =
            {
                new KernelDirectiveParameter("--sizes", "Square matrix sizes n to measure, comma-separated (default 128,256,512)."),
                new KernelDirectiveParameter("--runs", "Measured rounds per size (default 15)."),
                new KernelDirectiveParameter("--threads", "ONNX Runtime intra-op threads (default: physical cores)."),
                new KernelDirectiveParameter("--as", "Store the report in the workspace under this name: Kit.Results[\"name\"]."),
            },
        };
        kernel.AddDirective<KitDirectiveCommand>(directive, (command, context) => RunAsync(command, context));
    }

    private async Task RunAsync(KitDirectiveCommand command, KernelInvocationContext context)
    {
        var (options, errors) = command.Parse();
        if (errors.Count > 0)
        {
            context.Fail(command, message: string.Join(Environment.NewLine, errors));
            return;
        }
        var progress = new ProgressView(context, "Measuring fp32 vs int8 matrix multiply");
        var report = await Task.Run(() => new KitReport(
            KitInfo.Collect(),
            TorchStatus.Check(),
            commands(),
            MatMulThroughput.Measure(options, progress.ForBenchmark(), context.CancellationToken)), context.CancellationToken);
        progress.Done($"done ({report.Throughput.Points.Count} sizes)");
        if (command.As is { } name) Kit.Results[name] = report;
        context.Display(report, Formatters.ReportMimeTypes);
    }
}

/// <summary>The options of <c>#!kit</c>, bound by name from the directive (values as typed, parsed by the kit).</summary>
public sealed class KitDirectiveCommand : KernelDirectiveCommand
{
    public string? Sizes { get; set; }
    public string? Runs { get; set; }
    public string? Threads { get; set; }
    public string? As { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (MatMulThroughputOptions Options, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        var sizes = OptionParser.IntList(Sizes, "--sizes", 1, 4096, "#!kit --sizes 128,256,512", errors);
        int? runs = OptionParser.Int(Runs, "--runs", 1, 10_000, "#!kit --runs 15", errors);
        int? threads = OptionParser.Int(Threads, "--threads", 1, 1024, $"#!kit --threads {Environment.ProcessorCount}", errors);
        OptionParser.Name(As, "--as", "#!kit --as info", errors);
        var options = new MatMulThroughputOptions(Sizes: sizes, Threads: threads);
        if (runs is { } r) options = options with { Runs = r };
        return (options, errors);
    }
}
