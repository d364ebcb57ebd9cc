using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Talk.Kit.Data;
using Talk.Kit.Interactive.Views;
using Talk.Kit.Training;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Interactive.Commands;

/// <summary>
/// <c>#!sensitivity &lt;model&gt; [--sparsities 0,50%,90%] [--images N]</c>: how accuracy falls as each layer alone is
/// pruned by magnitude, without retraining — the curves per-layer pruning thresholds are read from.
/// </summary>
public sealed class SensitivityMagic : IMagicCommand
{
    public string Name => "#!sensitivity";
    public string Description => "Per-layer pruning sensitivity: accuracy as each conv/linear layer alone is pruned by magnitude (no retraining), with the largest sparsity each layer tolerates within 1 point.";
    public string Example => "#!sensitivity lenet --sparsities 0,50%,80%,90%,95% --images 2000";

    public void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A zoo model trained here (#!model load/train).") { AllowImplicitName = true },
                new KernelDirectiveParameter("--sparsities", "Sparsities to measure, e.g. 0,50%,90% (default 0, 10%, …, 90%, 95%)."),
                new KernelDirectiveParameter("--images", "Test images per point (default 2000)."),
            },
        };
        kernel.AddDirective<SensitivityDirectiveCommand>(directive, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => RunAsync(c, ctx)));
    }

    private static async Task RunAsync(SensitivityDirectiveCommand command, KernelInvocationContext context)
    {
        var (sparsities, images, _) = command.Parse();
        string name = command.Name!;
        var zoo = TrainedNetworks.Of(name, Kit.Workspace.Model(name), $"#!sensitivity prunes the TorchSharp network behind '{name}'", $"#!sensitivity {name}");
        var progress = new ProgressView(context, $"Pruning sensitivity of {name}");
        var report = await Task.Run(() =>
        {
            var test = FashionMnist.Load().Test;
            test = test.Take(Math.Min(images, test.Count));
            using var net = Zoo.LoadNetwork(zoo);
            int layers = PrunableLayer.Of(net).Count, done = 0;
            var sink = progress.For<(string Layer, double Sparsity)>(p => ($"{p.Layer} at {Format.Percent(p.Sparsity, 0)}", (double)done++ / (layers * sparsities.Count)));
            var curves = PruningSensitivity.Analyze(net, name, test, sparsities, progress: sink, cancellationToken: context.CancellationToken);
            return new SensitivityMagicReport(name, test.Count, curves);
        }, context.CancellationToken);
        progress.Done($"{report.Curves.Layers.Count} layers × {sparsities.Count} sparsities on {report.Images} images");
        context.Display(report, Formatters.ReportMimeTypes);
    }
}

/// <summary>The options of <c>#!sensitivity</c>, bound as text and parsed with the kit's own messages.</summary>
public sealed class SensitivityDirectiveCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Sparsities { get; set; }
    public string? Images { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (IReadOnlyList<double> Sparsities, int Images, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
            errors.Add("#!sensitivity needs the name of a zoo model trained here. Try: #!model load lenet-5 --as lenet, then #!sensitivity lenet");
        var sparsities = new List<double>();
        if (Sparsities is not null)
        {
            foreach (var part in Sparsities.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // One message for the whole list, not one per bad item.
                var value = OptionParser.Fraction(part, "--sparsities", 0, 0.99, asPercent: true, "#!sensitivity lenet --sparsities 0,50%,90%", errors);
                if (value is null) break;
                sparsities.Add(value.Value);
            }
            if (sparsities.Count == 0 && errors.Count == 0) errors.Add("--sparsities needs at least one value. Try: #!sensitivity lenet --sparsities 0,50%,90%");
        }
        int images = OptionParser.Int(Images, "--images", 10, 10_000, "#!sensitivity lenet --images 2000", errors) ?? 2000;
        return (Sparsities is null ? SensitivityReport.DefaultSparsities : sparsities.Distinct().Order().ToList(), images, errors);
    }
}
