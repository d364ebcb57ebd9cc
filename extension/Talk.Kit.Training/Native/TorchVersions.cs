using System.Reflection;
using TorchSharp;

namespace Talk.Kit.Training.Native;

/// <summary>TorchSharp's and libtorch's versions, read without loading native code.</summary>
internal static class TorchVersions
{
    /// <summary>Version of the managed TorchSharp assembly, e.g. "0.107.0".</summary>
    public static string TorchSharp { get; } = ReadTorchSharp();

    /// <summary>
    /// The libtorch version TorchSharp was built against, e.g. "2.10.0". TorchSharp keeps it as a private constant of
    /// <c>torch</c>; no public API exposes it. Reading a constant runs no static constructor, so no native code loads.
    /// </summary>
    public static string LibTorch { get; } =
        typeof(torch).GetField("libtorchPackageVersion", BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue() as string ?? "unknown";

    private static string ReadTorchSharp()
    {
        var assembly = typeof(torch).Assembly; // reading the type does not load natives
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
