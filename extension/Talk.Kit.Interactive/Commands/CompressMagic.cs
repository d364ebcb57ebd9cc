using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Talk.Kit.Compression.Budget;
using Talk.Kit.Compression.Pipeline;
using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Data;
using Talk.Kit.Interactive.Views;
using Talk.Kit.Training;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Interactive.Commands;

/// <summary>
/// <c>#!compress &lt;model&gt; [--pipeline prune,share,huffman] [--bits conv=8,fc=5] [--sparsity 90%] [--budget 10MB]
/// [--fine-tune-epochs N] [--train-images N] [--images N] [--save file.tkdc] --as name</c>: Deep Compression into a real
/// <c>.tkdc</c> file, with a waterfall of sizes, the paper's per-layer table, quality after every stage, and the file
/// held against app-store download limits. Zoo nets trained here are fine-tuned between stages; other models are
/// compressed one shot.
/// </summary>
public sealed partial class CompressMagic : IMagicCommand
{
    public string Name => "#!compress";
    public string Description => "Deep Compression (prune → share → Huffman) into a real .tkdc file; --budget 10MB picks stages and bits to fit; waterfall, per-layer table, accuracy per stage, app-store limits.";
    public string Example => "#!compress lenet --budget 20KB --as lenet-dc";

    public void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A workspace model (#!model load/train); zoo nets trained here are fine-tuned between stages.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--pipeline", "Stages, in any order: prune, share, huffman (default all three)."),
                new KernelDirectiveParameter("--bits", "Weight-sharing bits: conv=8,fc=5 (the paper's), or one number for both."),
                new KernelDirectiveParameter("--sparsity", "Fraction of every compressed layer's weights to prune, e.g. 90% (default: the paper's recipe for the LeNets, else 80% fine-tuned or 50% one shot)."),
                new KernelDirectiveParameter("--budget", "Largest file allowed, e.g. 10MB or 30KB: the planner picks sparsity and bits to fit."),
                new KernelDirectiveParameter("--fine-tune-epochs", "Fine-tuning epochs after pruning (half as many for the centroids); 0 = one shot. Zoo nets only."),
                new KernelDirectiveParameter("--train-images", "Training images per fine-tuning epoch (default: all)."),
                new KernelDirectiveParameter("--images", "Test images every stage is judged on (default: all; 200 for ImageNet nets)."),
                new KernelDirectiveParameter("--save", "Write the .tkdc file here (atomically; never over the model's own file)."),
                new KernelDirectiveParameter("--as", "Workspace name of the decoded model (default: <name>-compressed)."),
            },
        };
        kernel.AddDirective<CompressDirectiveCommand>(directive, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => RunAsync(c, ctx)));
    }

    private static async Task RunAsync(CompressDirectiveCommand command, KernelInvocationContext context)
    {
        var (request, _) = command.Parse();
        string original = command.Name!;
        var model = Kit.Workspace.Model(original);
        string? save = command.Save is null ? null : Path.GetFullPath(command.Save);
        if (save is not null && model.SourceFile is { } source && string.Equals(Path.GetFullPath(source), save, StringComparison.Ordinal))
            throw new ArgumentException($"--save would overwrite '{original}''s own file '{save}'; choose another path, e.g. {Path.ChangeExtension(save, ".tkdc")}.");
        var zoo = TrainedNetworks.Find(original, model); // trained here: fine-tuned between stages; otherwise one shot
        var progress = new ProgressView(context, $"Compressing {original}");
        var status = progress.For<string>(s => (s, 0));
        var outcome = await Task.Run(() =>
        {
            if (zoo is not null)
                return ZooCompression.Run(zoo, request, FashionMnist.Load(), Stages(progress), status, context.CancellationToken);
            return CompressionStudy.Run(model, request, EvaluationData.For(model), status, context.CancellationToken);
        }, context.CancellationToken);
        string name = command.As ?? $"{original}-compressed";
        string? saved = save is null || outcome.File is null ? null : outcome.Save(save);
        progress.Done($"{ByteSize.Format(outcome.Stages[0].Bytes)} → {ByteSize.Format(outcome.FinalBytes)} ({outcome.CompressionRatio:0.0}×)");
        Kit.Models[name] = outcome.Result;
        context.Display(new CompressReport(original, name, outcome, saved), Formatters.ReportMimeTypes);
    }

    /// <summary>The stage, and while fine-tuning the trainer's epoch, batch, loss and accuracy.</summary>
    private static IProgress<DeepCompressionProgress> Stages(ProgressView view) => view.For<DeepCompressionProgress>(p =>
        p.Training is { } t && ModelMagic.Describe(t) is var (text, fraction) ? ($"{p.Stage}: {text}", fraction) : (p.Stage, 0));

    [GeneratedRegex(@"^\s*(conv|fc)\s*=\s*(\d+)\s*$", RegexOptions.IgnoreCase)]
    internal static partial Regex BitsPart();
}

/// <summary>The options of <c>#!compress</c>, bound as text and parsed with the kit's own messages.</summary>
public sealed class CompressDirectiveCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Pipeline { get; set; }
    public string? Bits { get; set; }
    public string? Sparsity { get; set; }
    public string? Budget { get; set; }
    public string? FineTuneEpochs { get; set; }
    public string? TrainImages { get; set; }
    public string? Images { get; set; }
    public string? Save { get; set; }
    public string? As { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (CompressionRequest Request, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        const string example = "#!compress lenet --budget 20KB --as lenet-dc";
        if (string.IsNullOrWhiteSpace(Name)) errors.Add($"#!compress needs the name of a workspace model. Try: #!model load lenet-5 --as lenet, then {example}");
        var stages = CompressionStages.All;
        if (Pipeline is not null)
        {
            try { stages = CompressionPipeline.Parse(Pipeline); }
            catch (ArgumentException e) { errors.Add($"--pipeline: {e.Message} Try: #!compress lenet --pipeline prune,share,huffman"); }
        }
        var (conv, fc) = ParseBits(errors);
        double? sparsity = OptionParser.Fraction(Sparsity, "--sparsity", 0.01, 0.99, asPercent: true, "#!compress lenet --sparsity 90%", errors);
        if (sparsity is not null && !stages.HasFlag(CompressionStages.Prune))
            errors.Add($"--sparsity needs the prune stage, and --pipeline {Pipeline} has none. Try: #!compress lenet --pipeline prune,share,huffman --sparsity 90%");
        if ((conv ?? fc) is not null && !stages.HasFlag(CompressionStages.Share))
            errors.Add($"--bits sets the weight-sharing bits, and --pipeline {Pipeline} has no share stage. Try: #!compress lenet --pipeline prune,share --bits conv=8,fc=5");
        long? budget = null;
        if (Budget is not null)
        {
            try { budget = ByteSize.Parse(Budget); }
            catch (FormatException e) { errors.Add($"--budget: {e.Message} Try: {example}"); }
            if (!stages.HasFlag(CompressionStages.Huffman))
                errors.Add("--budget is checked against the real compressed file, which the huffman stage writes. Try: #!compress lenet --pipeline prune,share,huffman --budget 20KB");
        }
        if (Save is not null && !Save.EndsWith(Compression.Container.ContainerFormat.Extension, StringComparison.OrdinalIgnoreCase))
            errors.Add($"--save writes a Deep Compression file, named *{Compression.Container.ContainerFormat.Extension}, not '{Save}'. Try: #!compress lenet --save lenet.tkdc");
        if (Save is not null && !stages.HasFlag(CompressionStages.Huffman))
            errors.Add("--save writes the Huffman-coded file, and the pipeline has no huffman stage. Try: #!compress lenet --pipeline prune,share,huffman --save lenet.tkdc");
        var request = new CompressionRequest(stages, sparsity, conv, fc, budget,
            Images: OptionParser.Int(Images, "--images", 10, 1_000_000, "#!compress lenet --images 2000", errors),
            FineTuneEpochs: OptionParser.Int(FineTuneEpochs, "--fine-tune-epochs", 0, 100, "#!compress lenet --fine-tune-epochs 2", errors),
            TrainImages: OptionParser.Int(TrainImages, "--train-images", 100, 10_000_000, "#!compress lenet --train-images 10000", errors));
        OptionParser.Name(As, "--as", example, errors);
        return (request, errors);
    }

    /// <summary>"conv=8,fc=5", "fc=4" or "6" (both).</summary>
    private (int? Conv, int? Fc) ParseBits(List<string> errors)
    {
        if (Bits is null) return (null, null);
        const string help = "--bits takes conv=N,fc=N or one N for both, N from 1 to 8 (the paper: conv=8,fc=5)";
        if (int.TryParse(Bits.Trim(), out int both))
        {
            if (both is >= 1 and <= 8) return (both, both);
            errors.Add($"{help}, not '{Bits}'. Try: #!compress lenet --bits conv=8,fc=5");
            return (null, null);
        }
        int? conv = null, fc = null;
        foreach (var part in Bits.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = CompressMagic.BitsPart().Match(part);
            if (!m.Success || !int.TryParse(m.Groups[2].Value, out int b) || b is < 1 or > 8)
            {
                errors.Add($"{help}, not '{Bits}'. Try: #!compress lenet --bits conv=8,fc=5");
                return (null, null);
            }
            if (m.Groups[1].Value.Equals("conv", StringComparison.OrdinalIgnoreCase)) conv = b; else fc = b;
        }
        return (conv, fc);
    }
}
