using System.Runtime.InteropServices;

namespace Talk.Kit.Runtime;

/// <summary>
/// The kit sends no telemetry. ONNX Runtime on Linux queues usage events unless
/// <c>ORT_DISABLE_TELEMETRY=1</c> is in the <em>native</em> environment when it starts
/// (../shared/PLATFORM.md). <see cref="Environment.SetEnvironmentVariable(string, string?)"/> only
/// changes .NET's copy, so the variables are also set with libc's <c>setenv</c>.
/// Scripts and the kernelspec set them before the process starts as well.
/// </summary>
public static class Privacy
{
    /// <summary>Environment variables that turn off telemetry of every tool the kit starts.</summary>
    public static readonly IReadOnlyDictionary<string, string> OptOutVariables = new Dictionary<string, string>
    {
        ["ORT_DISABLE_TELEMETRY"] = "1",                      // ONNX Runtime
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",                // dotnet CLI
        ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",    // .NET Interactive / the notebook kernel
    };

    /// <summary>Sets the opt-out variables in this process (managed and native environment) and its children.</summary>
    public static void OptOutInThisProcess()
    {
        foreach (var (name, value) in OptOutVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
            if (!OperatingSystem.IsWindows())
                _ = setenv(name, value, overwrite: 1);
        }
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
