using System.Reflection;
using System.Runtime.InteropServices;
using Talk.Kit.Data;
using Talk.Kit.Runtime;

namespace Talk.Kit;

/// <summary>What the engine knows about itself and this machine: versions, hardware, ONNX Runtime, data.</summary>
/// <param name="KitVersion">Talk.Kit's version (the package version).</param>
/// <param name="KitBuild">The build stamp of this package (see <see cref="BuildStamp"/>).</param>
/// <param name="DotNetVersion">The running .NET, e.g. ".NET 10.0.12".</param>
/// <param name="OnnxRuntimeVersion">The native ONNX Runtime loaded in this process.</param>
/// <param name="ExecutionProviders">ONNX Runtime execution providers available here.</param>
/// <param name="Machine">CPU, cores, SIMD features, memory.</param>
/// <param name="FashionMnist">Where Fashion-MNIST was looked for and found.</param>
public sealed record KitInfo(
    string KitVersion,
    string KitBuild,
    string DotNetVersion,
    string OnnxRuntimeVersion,
    IReadOnlyList<string> ExecutionProviders,
    MachineInfo Machine,
    DatasetSearch FashionMnist)
{
    /// <summary>One sentence on what the kit is.</summary>
    public const string About =
        "Talk.Kit lets you do, on real models and real measurements, what the talk \"On-Demand Accelerating Deep Neural " +
        "Network Inference via Edge Computing\" describes: compress, accelerate, deploy and split DNN inference.";

    /// <summary>Talk.Kit's own version.</summary>
    public static string Version { get; } =
        typeof(KitInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>When this build was packed (UTC, set by scripts/pack.sh), or "dev" for a plain build.</summary>
    public static string BuildStamp { get; } =
        typeof(KitInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "KitBuildStamp")?.Value ?? "dev";

    /// <summary>Reads everything (fast: no measurement).</summary>
    public static KitInfo Collect() => new(
        Version,
        BuildStamp,
        RuntimeInformation.FrameworkDescription,
        Ort.Version,
        Ort.AvailableProviders,
        MachineInfo.Current,
        DatasetLocator.FindFashionMnist());
}
