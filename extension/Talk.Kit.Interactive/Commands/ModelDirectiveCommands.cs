using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Talk.Kit.Training;

namespace Talk.Kit.Interactive.Commands;

/// <summary><c>#!model</c> alone: says which verbs exist.</summary>
public sealed class ModelDirectiveCommand : KernelDirectiveCommand;

/// <summary><c>#!model zoo</c>.</summary>
public sealed class ModelZooCommand : KernelDirectiveCommand;

/// <summary><c>#!model load &lt;zoo-name|path&gt; [--as name]</c>.</summary>
public sealed class ModelLoadCommand : KernelDirectiveCommand
{
    public string? Source { get; set; }
    public string? As { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Source)) errors.Add("#!model load needs a zoo name or an .onnx path. Try: #!model load lenet-5 --as lenet");
        OptionParser.Name(As, "--as", "#!model load lenet-5 --as lenet", errors);
        return errors;
    }
}

/// <summary><c>#!model show &lt;name&gt; [--batch N]</c>.</summary>
public sealed class ModelShowCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Batch { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (int Batch, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("#!model show needs the name of a loaded model. Try: #!model show lenet");
        int batch = OptionParser.Int(Batch, "--batch", 1, 4096, "#!model show lenet --batch 64", errors) ?? 1;
        return (batch, errors);
    }
}

/// <summary><c>#!model train &lt;arch&gt; [--epochs N] [--batch-size N] [--learning-rate X] [--train-images N] [--seed N] [--as name]</c>.</summary>
public sealed class ModelTrainCommand : KernelDirectiveCommand
{
    public string? Arch { get; set; }
    public string? Epochs { get; set; }
    public string? BatchSize { get; set; }
    public string? LearningRate { get; set; }
    public string? TrainImages { get; set; }
    public string? Seed { get; set; }
    public string? As { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (ZooEntry? Entry, TrainingOptions Options, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        ZooEntry? entry = null;
        var trainable = Zoo.Entries.Where(e => e.Recipe is not null).Select(e => e.Name).ToList();
        if (string.IsNullOrWhiteSpace(Arch))
            errors.Add($"#!model train needs an architecture: {string.Join(", ", trainable)}. Try: #!model train lenet-5 --epochs 3 --as lenet");
        else if (Zoo.Entries.FirstOrDefault(e => e.Recipe is not null && string.Equals(e.Name, Arch, StringComparison.OrdinalIgnoreCase)) is { } found)
            entry = found;
        else
            errors.Add($"'{Arch}' is not an architecture the kit trains; use one of {string.Join(", ", trainable)}. Try: #!model train lenet-5 --as lenet");
        var recipe = entry?.Recipe ?? new TrainingOptions();
        var options = recipe with
        {
            Epochs = OptionParser.Int(Epochs, "--epochs", 1, 1000, "#!model train lenet-5 --epochs 3", errors) ?? recipe.Epochs,
            BatchSize = OptionParser.Int(BatchSize, "--batch-size", 1, 65536, "#!model train lenet-5 --batch-size 64", errors) ?? recipe.BatchSize,
            LearningRate = LearningRateValue(errors) ?? recipe.LearningRate,
            TrainImages = OptionParser.Int(TrainImages, "--train-images", 1, 10_000_000, "#!model train vgg-bn --train-images 10000", errors) ?? recipe.TrainImages,
            Seed = OptionParser.Int(Seed, "--seed", 0, int.MaxValue, "#!model train lenet-5 --seed 1", errors) ?? recipe.Seed,
        };
        OptionParser.Name(As, "--as", "#!model train lenet-5 --as lenet", errors);
        return (entry, options, errors);
    }

    private double? LearningRateValue(List<string> errors)
    {
        if (LearningRate is null) return null;
        if (double.TryParse(LearningRate, NumberStyles.Float, CultureInfo.InvariantCulture, out double lr) && lr > 0 && lr < 10) return lr;
        errors.Add($"--learning-rate must be a positive number below 10, not '{LearningRate}'. Try: #!model train lenet-5 --learning-rate 0.001");
        return null;
    }
}

/// <summary><c>#!model eval &lt;name&gt; [--reference name] [--samples N]</c>.</summary>
public sealed class ModelEvalCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Reference { get; set; }
    public string? Samples { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel) => Parse().Errors;

    internal (int Samples, List<string> Errors) Parse()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("#!model eval needs the name of a loaded model. Try: #!model eval lenet");
        int samples = OptionParser.Int(Samples, "--samples", 1, 1_000_000, "#!model eval lenet-int8 --reference lenet --samples 500", errors) ?? 200;
        return (samples, errors);
    }
}
