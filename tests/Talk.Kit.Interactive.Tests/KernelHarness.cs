using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

// The Formatter and the workspace are process-wide: tests that touch them run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Talk.Kit.Interactive.Tests;

/// <summary>A real in-process kernel (C# + the kit's extension), as a notebook has it.</summary>
public sealed class KernelHarness : IDisposable
{
    public CompositeKernel Kernel { get; }

    private KernelHarness(CompositeKernel kernel) => Kernel = kernel;

    public static async Task<KernelHarness> StartAsync()
    {
        var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() };
        kernel.DefaultKernelName = "csharp";
        await new KitExtension().OnLoadAsync(kernel);
        return new KernelHarness(kernel);
    }

    /// <summary>Submits a cell and returns every event it produced.</summary>
    public async Task<IReadOnlyList<KernelEvent>> RunAsync(string code)
    {
        var result = await Kernel.SendAsync(new SubmitCode(code));
        return result.Events;
    }

    public static string? Failure(IEnumerable<KernelEvent> events) => events.OfType<CommandFailed>().FirstOrDefault()?.Message;

    /// <summary>The formatted value of the last displayed or returned value with the given MIME type.</summary>
    public static string? Formatted(IEnumerable<KernelEvent> events, string mimeType) => events
        .OfType<DisplayEvent>()
        .SelectMany(e => e.FormattedValues)
        .LastOrDefault(v => v.MimeType == mimeType)?.Value;

    public static object? ReturnValue(IEnumerable<KernelEvent> events) => events.OfType<ReturnValueProduced>().LastOrDefault()?.Value;

    public void Dispose() => Kernel.Dispose();
}
