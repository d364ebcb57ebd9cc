using Microsoft.DotNet.Interactive;
using Talk.Kit.Interactive.Commands;
using Talk.Kit.Interactive.Hosting;
using Talk.Kit.Interactive.Views;
using Talk.Kit.Runtime;
using Talk.Kit.Training.Native;

namespace Talk.Kit.Interactive;

/// <summary>
/// The .NET Interactive extension: loaded automatically when the package is referenced
/// (<c>#r "nuget:Talk.Kit.Interactive,…"</c>), because its DLL sits under <c>interactive-extensions/dotnet/</c>.
/// </summary>
public sealed class KitExtension : IKernelExtension
{
    private static readonly List<IMagicCommand> commands = [];

    /// <summary>Help lines of every registered magic command.</summary>
    public static IReadOnlyList<MagicCommandHelp> Commands =>
        commands.SelectMany(c => c.Help).ToList();

    public Task OnLoadAsync(Kernel kernel)
    {
        Privacy.OptOutInThisProcess();
        FSharpCoreRedirect.Install();   // before any Plotly type is touched
        TorchNativeFix.Apply();         // before TorchSharp loads its natives (no-op where libstdc++ is new enough)
        Formatters.Register();

        lock (commands)
        {
            if (commands.Count == 0)
                commands.AddRange([new KitMagic(() => Commands), new ModelMagic(), new ProfileMagic(), new FuseMagic(), new OptimizeMagic(), new QuantizeMagic(), new SensitivityMagic(), new PruneMagic(), new CompressMagic()]);
        }
        foreach (var command in commands)
            command.Register(kernel);

        KernelInvocationContext.Current?.DisplayAs(
            $"Talk.Kit {KitInfo.Version} loaded: type `#!kit` to see what it offers.", "text/markdown");
        return Task.CompletedTask;
    }
}
