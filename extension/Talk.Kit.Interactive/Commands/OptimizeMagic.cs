using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Talk.Kit.Fusion;
using Talk.Kit.Interactive.Views;

namespace Talk.Kit.Interactive.Commands;

/// <summary><c>#!optimize &lt;model&gt; --level basic|extended|all --as name</c>: ONNX Runtime's offline optimization, saved as a model.</summary>
public sealed class OptimizeMagic : IMagicCommand
{
    public string Name => "#!optimize";
    public string Description => "Save ONNX Runtime's own offline graph optimization (basic, extended or all) as a model, to compare with the kit's passes.";
    public string Example => "#!optimize vgg --level extended --as vgg-ort";

    public void Register(Kernel kernel)
    {
        var directive = new KernelActionDirective(Name)
        {
            Description = Description,
            Parameters =
            {
                new KernelDirectiveParameter("--name", "A model in the workspace.") { AllowImplicitName = true },
                new KernelDirectiveParameter("--level", "basic, extended or all (default extended)."),
                new KernelDirectiveParameter("--as", "Workspace name (default: <name>-ort-<level>)."),
            },
        };
        kernel.AddDirective<OptimizeDirectiveCommand>(directive, (c, ctx) => CommandErrors.RunAsync(ctx, c, async () =>
        {
            var model = Kit.Workspace.Model(c.Name!);
            var optimized = await Task.Run(() => OrtOptimizer.Optimize(model, OrtOptimizer.Levels[c.Level ?? "extended"]));
            string name = c.As ?? optimized.Name;
            Kit.Models[name] = optimized;
            ctx.Display(new LoadReport(ModelCard.Of(name, optimized), $"ONNX Runtime's {c.Level ?? "extended"} optimization of '{c.Name}'", null), Formatters.ReportMimeTypes);
        }));
    }
}

/// <summary>The options of <c>#!optimize</c>.</summary>
public sealed class OptimizeDirectiveCommand : KernelDirectiveCommand
{
    public string? Name { get; set; }
    public string? Level { get; set; }
    public string? As { get; set; }

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add("#!optimize needs the name of a loaded model. Try: #!optimize vgg --level extended");
        if (Level is not null && !OrtOptimizer.Levels.ContainsKey(Level))
            errors.Add($"--level takes basic, extended or all, not '{Level}'. Try: #!optimize vgg --level extended");
        OptionParser.Name(As, "--as", "#!optimize vgg --as vgg-ort", errors);
        return errors;
    }
}
