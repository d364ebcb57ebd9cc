using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Talk.Kit.Data;
using Talk.Kit.Training.Pruning;
using Talk.Kit.Interactive.Views;

namespace Talk.Kit.Interactive.Commands;

/// <summary>
/// <c>#!prune &lt;model&gt; (--sparsity 90% | --sparsity layer=50%,layer=90% | --max-accuracy-drop 1%) [--structured channels] [--fine-tune-epochs N] [--train-images N] [--images N]
/// [--runs N] [--batch N] --as name</c>: prune a zoo network (zeroed weights, or whole filters removed), fine-tune it,
/// export it, and compare parameters, size, accuracy and latency with the original.
/// </summary>
public sealed class PruneMagic : IMagicCommand
{
    public string Name => "#!prune";
    public string Description => "Prune a zoo network by magnitude (unstructured, per layer — one sparsity, one per layer, or read from sensitivity curves within an accuracy budget — masks kept while fine-tuning) or remove conv filters by L1 norm (--structured channels), fine-tune, export; parameters, non-zeros, sizes, accuracy and interleaved latency before/after.";
    public string Example => "#!prune lenet --sparsity 90% --fine-tune-epochs 2 --as lenet-sparse";

    public void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A zoo model trained here (#!model load/train).") { AllowImplicitName = true },
                new KernelDirectiveParameter("--sparsity", "Fraction of each layer's weights (or, structured, of each conv's filters) to remove: above 0%, at most 99%; or one per layer, e.g. features.conv1=50%,classifier.fc1=95% (layers not listed stay dense)."),
                new KernelDirectiveParameter("--max-accuracy-drop", "Instead of --sparsity: per layer, the largest sparsity whose sensitivity curve (measured first, on training images) stays within this drop, e.g. 1%."),
                new KernelDirectiveParameter("--structured", "channels: remove whole conv filters (smallest L1 norm) instead of zeroing weights."),
                new KernelDirectiveParameter("--fine-tune-epochs", "Fine-tuning epochs after pruning (default 2; Adam 5e-4)."),
                new KernelDirectiveParameter("--train-images", "Training images per fine-tuning epoch (default: all)."),
                new KernelDirectiveParameter("--images", "Test images to evaluate on (default: all)."),
                new KernelDirectiveParameter("--runs", "Interleaved rounds of the latency comparison (default 30)."),
                new KernelDirectiveParameter("--batch", "Batch size of the latency comparison (default 64)."),
                new KernelDirectiveParameter("--as", "Workspace name of the pruned model (default: <name>-pruned, or <name>-slim when structured)."),
            },
        };
        kernel.AddDirective<PruneDirectiveCommand>(directive, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => RunAsync(c, ctx)));
    }

    private static async Task RunAsync(PruneDirectiveCommand command, KernelInvocationContext context)
    {
        var (request, _) = command.Parse();
        string original = command.Name!;
        string name = command.As ?? $"{original}-{(request.Structured ? "slim" : "pruned")}";
        var zoo = TrainedNetworks.Of(original, Kit.Workspace.Model(original), $"#!prune fine-tunes the TorchSharp network behind '{original}'", $"#!prune {original} --sparsity 90%");
        var progress = new ProgressView(context, $"Pruning {original}");
        var report = await Task.Run(() => PruningStudy.Run(original, name, zoo, request, FashionMnist.Load(), ModelMagic.TrainingProgress(progress),
            text => progress.Report(text, 1, force: true), context.CancellationToken), context.CancellationToken);
        progress.Done($"{Format.Count(report.Before.NonZeros)} → {Format.Count(report.After.NonZeros)} non-zero parameters");
        Kit.Models[name] = report.PrunedModel;
        context.Display(report, Formatters.ReportMimeTypes);
    }
}

/// <summary>The options of <c>#!prune</c>, bound as text and parsed with the kit's own messages.</summary>
public sealed class PruneDirectiveCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Sparsity { get; set; }
    public string? MaxAccuracyDrop { get; set; }
    public string? Structured { get; set; }
    public string? FineTuneEpochs { get; set; }
    public string? TrainImages { get; set; }
    public string? Images { get; set; }
    public string? Runs { get; set; }
    public string? Batch { get; set; }
    public string? As { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (PruneRequest Request, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        const string example = "#!prune lenet --sparsity 90% --as lenet-sparse";
        if (string.IsNullOrWhiteSpace(Name)) errors.Add($"#!prune needs the name of a zoo model trained here. Try: #!model load lenet-5 --as lenet, then {example}");
        bool structured = Structured is not null;
        var targets = Targets(structured, errors);
        if (structured && !string.Equals(Structured!.Trim(), "channels", StringComparison.OrdinalIgnoreCase))
            errors.Add($"--structured takes channels (whole conv filters), not '{Structured}'. Try: #!prune lenet --sparsity 50% --structured channels --as lenet-slim");
        var request = new PruneRequest(targets ?? new PruneTargets.Uniform(0.9), structured,
            FineTuneEpochs: OptionParser.Int(FineTuneEpochs, "--fine-tune-epochs", 1, 100, "#!prune lenet --sparsity 90% --fine-tune-epochs 2", errors) ?? 2,
            TrainImages: OptionParser.Int(TrainImages, "--train-images", 100, 10_000_000, "#!prune lenet --sparsity 90% --train-images 10000", errors),
            Images: OptionParser.Int(Images, "--images", 1, 1_000_000, "#!prune lenet --sparsity 90% --images 2000", errors),
            Runs: OptionParser.Int(Runs, "--runs", 3, 100_000, "#!prune lenet --sparsity 90% --runs 30", errors) ?? 30,
            Batch: OptionParser.Int(Batch, "--batch", 1, 4096, "#!prune lenet --sparsity 90% --batch 64", errors) ?? 64);
        OptionParser.Name(As, "--as", example, errors);
        return (request, errors);
    }

    /// <summary>--sparsity (one value, or <c>layer=value</c> pairs) or --max-accuracy-drop; null after an error (one per option).</summary>
    private PruneTargets? Targets(bool structured, List<string> errors)
    {
        const string example = "#!prune lenet --sparsity 90% --as lenet-sparse";
        const string perLayer = "#!prune lenet --sparsity features.conv1=50%,features.conv2=80%,classifier.fc1=95% --as lenet-sparse";
        const string budget = "#!prune lenet --max-accuracy-drop 1% --as lenet-sparse";
        if (Sparsity is null && MaxAccuracyDrop is null)
        {
            errors.Add($"#!prune needs --sparsity (the fraction to remove, or one per layer) or --max-accuracy-drop. Try: {example}, or {budget}");
            return null;
        }
        if (Sparsity is not null && MaxAccuracyDrop is not null)
        {
            errors.Add($"#!prune takes --sparsity or --max-accuracy-drop, not both: the budget chooses each layer's sparsity. Try: {budget}");
            return null;
        }
        if (MaxAccuracyDrop is not null)
        {
            if (structured)
            {
                errors.Add("--max-accuracy-drop reads the unstructured sensitivity curves, not filter removal. With --structured channels give --sparsity, e.g. #!prune vgg --sparsity 50% --structured channels");
                return null;
            }
            var drop = OptionParser.Fraction(MaxAccuracyDrop, "--max-accuracy-drop", 0.0001, 0.5, asPercent: true, budget, errors);
            return drop is double d ? new PruneTargets.WithinAccuracyDrop(d) : null;
        }
        if (!Sparsity!.Contains('='))
        {
            // OptionParser's range message would say "from 0%": 0 is no pruning, so the message is written here.
            var s = OptionParser.Fraction(Sparsity, "--sparsity", 0, 0.99, asPercent: true, example, []);
            if (s is > 0) return new PruneTargets.Uniform(s.Value);
            errors.Add($"--sparsity must be above 0% and at most 99% (or a fraction such as 0.9), or one value per layer, not '{Sparsity}'. Try: {example}, or {perLayer}");
            return null;
        }
        var layers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in Sparsity.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // One message for the whole list: the first bad pair, what a good one looks like.
            int eq = part.IndexOf('=');
            string layer = eq < 0 ? "" : part[..eq].Trim();
            var value = eq < 0 ? null : OptionParser.Fraction(part[(eq + 1)..], "--sparsity", 0, 0.99, asPercent: true, perLayer, []);
            if (layer.Length == 0 || value is null)
            {
                errors.Add($"--sparsity per layer takes layer=value pairs separated by commas, each value from 0% to 99%; '{part}' is not one. Try: {perLayer}");
                return null;
            }
            if (!layers.TryAdd(layer, value.Value))
            {
                errors.Add($"--sparsity names '{layer}' twice; give each layer once. Try: {perLayer}");
                return null;
            }
        }
        return new PruneTargets.PerLayer(layers);
    }
}
