using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Talk.Kit.Interactive.Commands;

/// <summary>Turns the engine's errors into the one readable line a command fails with; the kernel keeps working.</summary>
internal static class CommandErrors
{
    public static async Task RunAsync(KernelInvocationContext context, KernelCommand command, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (OperationCanceledException)
        {
            context.Fail(command, message: "Cancelled.");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or IOException or KeyNotFoundException
                                       or NotSupportedException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Engine errors are written for people: the message says what is wrong and what to do.
            context.Fail(command, message: ex.Message);
        }
    }
}
