using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Talk.Kit.Data;
using Talk.Kit.Interactive.Views;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Training;

namespace Talk.Kit.Interactive.Commands;

/// <summary><c>#!model zoo | load | show | train | eval</c>: the models of the talk, as workspace values.</summary>
public sealed class ModelMagic : IMagicCommand
{
    public string Name => "#!model";
    public string Description => "Models: list the zoo, load (trained on first use) or train one, show its layers and graph, evaluate it.";
    public string Example => "#!model load lenet-5 --as lenet";

    /// <summary>Every verb with its own example, for #!kit and for the error of a bare #!model.</summary>
    public static readonly IReadOnlyList<MagicCommandHelp> Verbs =
    [
        new("#!model zoo", "The zoo: nets trained here on Fashion-MNIST (cached) and the pretrained ResNet-18.", "#!model zoo"),
        new("#!model load", "Put a zoo model (trained on first use) or an .onnx file in the workspace.", "#!model load resnet18 --as resnet"),
        new("#!model show", "Per-layer shapes, parameters, MACs and bytes from a real run, and the interactive graph.", "#!model show lenet"),
        new("#!model train", "Train an architecture in TorchSharp with a live progress bar, export, verify, evaluate.", "#!model train lenet-5 --epochs 12 --as lenet"),
        new("#!model eval", "Accuracy on the Fashion-MNIST test set, or agreement with a reference model.", "#!model eval lenet"),
    ];

    public IReadOnlyList<MagicCommandHelp> Help => Verbs;

    public void Register(Kernel kernel)
    {
        var zoo = new KernelActionDirective("zoo") { Description = Verbs[0].Description };
        var load = new KernelActionDirective("load")
        {
            Description = Verbs[1].Description,
            Parameters =
            {
                new KernelDirectiveParameter("--source", "A zoo name (#!model zoo) or a path to an .onnx file.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--as", "Workspace name (default: the zoo name or the file name)."),
            },
        };
        var show = new KernelActionDirective("show")
        {
            Description = Verbs[2].Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A model in the workspace.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--batch", "Batch size of the probing run (default 1)."),
            },
        };
        var train = new KernelActionDirective("train")
        {
            Description = Verbs[3].Description,
            Parameters =
            {
                new KernelDirectiveParameter("--arch", "lenet-300-100, lenet-5, vgg-bn or mobilenet-v2.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--epochs", "Passes over the training data (default: the zoo recipe)."),
                new KernelDirectiveParameter("--batch-size", "Images per step (default 64)."),
                new KernelDirectiveParameter("--learning-rate", "Adam's step size (default 0.001)."),
                new KernelDirectiveParameter("--train-images", "Train on the first N images only."),
                new KernelDirectiveParameter("--seed", "Seed of weights and shuffling (default 0)."),
                new KernelDirectiveParameter("--as", "Workspace name (default: the architecture)."),
            },
        };
        var eval = new KernelActionDirective("eval")
        {
            Description = Verbs[4].Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A model in the workspace.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--reference", "Compare outputs with this workspace model instead (top-1 agreement, cosine)."),
                new KernelDirectiveParameter("--samples", "Test images for --reference (default 200)."),
            },
        };
        var model = new KernelActionDirective(Name) { Description = Description, Subcommands = { zoo, load, show, train, eval } };

        kernel.AddDirective<ModelZooCommand>(zoo, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => ZooAsync(ctx)));
        kernel.AddDirective<ModelLoadCommand>(load, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => LoadAsync(c, ctx)));
        kernel.AddDirective<ModelShowCommand>(show, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => ShowAsync(c, ctx)));
        kernel.AddDirective<ModelTrainCommand>(train, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => TrainAsync(c, ctx)));
        kernel.AddDirective<ModelEvalCommand>(eval, (c, ctx) => CommandErrors.RunAsync(ctx, c, () => EvalAsync(c, ctx)));
        kernel.AddDirective<ModelDirectiveCommand>(model, (c, ctx) =>
        {
            ctx.Fail(c, message: $"#!model needs a verb: {string.Join(" | ", Verbs.Select(v => v.Name[8..]))}. Try: {Example}");
            return Task.CompletedTask;
        });
    }

    private static async Task ZooAsync(KernelInvocationContext context)
    {
        var report = await Task.Run(() =>
        {
            var data = FashionMnist.Load();
            return new ZooReport(Zoo.Entries.Select(e => new ZooRow(e.Name, e.Kind, e.Description, Recipe(e.Recipe), Zoo.IsCached(e.Name, data: data))).ToList(),
                data.ToString());
        });
        Show(context, report);
    }

    /// <summary>Where a workspace model's zoo origin (its TorchSharp network, for QAT and pruning) is kept in <see cref="Kit.Results"/>.</summary>
    internal static string TrainedNetworkKey(string modelName) => $"zoo-model:{modelName}";

    private static async Task LoadAsync(ModelLoadCommand command, KernelInvocationContext context)
    {
        string source = command.Source!;
        LoadReport report;
        if (Zoo.Entries.Any(e => string.Equals(e.Name, source, StringComparison.OrdinalIgnoreCase)))
        {
            var progress = new ProgressView(context, $"Loading {source}");
            var zm = await Task.Run(() => Zoo.Get(source, progress: TrainingProgress(progress), cancellationToken: context.CancellationToken), context.CancellationToken);
            progress.Done(zm.FromCache ? "ready" : "trained, exported, verified and cached");
            string name = command.As ?? zm.Entry.Name;
            Kit.Models[name] = zm.Model;
            Kit.Results[TrainedNetworkKey(name)] = zm;
            report = new LoadReport(ModelCard.Of(name, zm.Model), zm.Entry.Recipe is null ? "pretrained, from its NuGet package" : zm.FromCache ? $"from the cache ({zm.CacheFolder})" : "trained now, then cached", zm.Training);
        }
        else if (File.Exists(source))
        {
            var model = await Task.Run(() => ModelLoader.Load(Path.GetFullPath(source)));
            string name = command.As ?? Path.GetFileNameWithoutExtension(source);
            Kit.Models[name] = model;
            report = new LoadReport(ModelCard.Of(name, model), $"from {Path.GetFullPath(source)}", null);
        }
        else
        {
            throw new ArgumentException($"'{source}' is neither a zoo name ({string.Join(", ", Zoo.Entries.Select(e => e.Name))}) nor an existing file. Try: #!model load lenet-5 --as lenet");
        }
        Show(context, report);
    }

    private static async Task ShowAsync(ModelShowCommand command, KernelInvocationContext context)
    {
        var (batch, _) = command.Parse();
        var model = Kit.Workspace.Model(command.Name!);
        var summary = await Task.Run(() => ModelSummary.Of(model, batch));
        Show(context, new ShowReport(ModelCard.Of(command.Name!, model), summary));
    }

    private static async Task TrainAsync(ModelTrainCommand command, KernelInvocationContext context)
    {
        var (entry, options, _) = command.Parse();
        var progress = new ProgressView(context, $"Training {entry!.Name}");
        var report = await Task.Run(() =>
        {
            var data = FashionMnist.Load();
            var zm = Zoo.GetTrained(entry, options, data, TrainedModelCache.Default, TrainingProgress(progress), context.CancellationToken);
            progress.Report("evaluating on the test set with ONNX Runtime", 1, force: true);
            var test = Evaluator.Accuracy(zm.Model, data.Test, cancellationToken: context.CancellationToken);
            string name = command.As ?? entry.Name;
            Kit.Models[name] = zm.Model;
            Kit.Results[TrainedNetworkKey(name)] = zm;
            return new TrainReport(ModelCard.Of(name, zm.Model), zm.Training!, zm.FromCache, zm.Export, test, zm.CacheFolder);
        }, context.CancellationToken);
        progress.Done(report.FromCache ? "found in the cache: no training needed" : $"done in {report.Training.Seconds:0} s");
        Show(context, report);
    }

    private static async Task EvalAsync(ModelEvalCommand command, KernelInvocationContext context)
    {
        var (samples, _) = command.Parse();
        var model = Kit.Workspace.Model(command.Name!);
        var reference = command.Reference is { } r ? Kit.Workspace.Model(r) : null;
        var report = await Task.Run(() =>
        {
            var test = FashionMnist.Load().Test;
            if (reference is null)
                return new EvalReport(command.Name!, Evaluator.Accuracy(model, test, cancellationToken: context.CancellationToken), null);
            var preprocess = (model.Inputs[0].Dims ?? []).Count == 4 && model.Inputs[0].Dims![1].Value == 3 ? PretrainedResNet18.LoadPreprocess() : null;
            var inputs = ImageInputs.For(model, test.Balanced(Math.Max(1, samples / test.ClassNames.Count)), samples, preprocess: preprocess);
            return new EvalReport(command.Name!, null, Evaluator.Agreement(model, reference, inputs, cancellationToken: context.CancellationToken));
        }, context.CancellationToken);
        Show(context, report);
    }

    internal static IProgress<TrainingProgress> TrainingProgress(ProgressView view) => view.For<TrainingProgress>(Describe);

    /// <summary>"epoch 1/2, batch 40/469, loss …" and the fraction of training done.</summary>
    internal static (string Text, double Fraction) Describe(TrainingProgress p) => (
        string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs}, batch {p.Batch}/{p.Batches}, loss {p.Loss:0.000}, accuracy {p.Accuracy:P1}, {p.ImagesPerSecond:0} images/s"),
        ((p.Epoch - 1) + (double)p.Batch / p.Batches) / p.Epochs);

    private static string Recipe(TrainingOptions? o) => o is null ? "pretrained"
        : $"{o.Epochs} epochs, batch {o.BatchSize}, Adam lr {o.LearningRate.ToString(CultureInfo.InvariantCulture)}" + (o.TrainImages is { } n ? $", first {n:N0} images" : "");

    private static void Show(KernelInvocationContext context, object report) => context.Display(report, Formatters.ReportMimeTypes);
}
