using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

/// <summary>The installed full set and the shipped subset, each loaded once for all tests that need them.</summary>
internal static class FullSet
{
    /// <summary>The Debian package's folder.</summary>
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>True when the Debian package's four files are installed (then the full-set tests run for real).</summary>
    public static bool Installed => DatasetLocator.FashionMnistFiles.All(s => File.Exists(Path.Combine(DebianFolder, s + ".gz")));

    private static readonly Lazy<FashionMnistData> Debian = new(() => FashionMnist.LoadFrom(DebianFolder));
    private static readonly Lazy<FashionMnistData> Shipped = new(() => FashionMnist.LoadFrom(SubsetFolder));

    /// <summary>The full set from the Debian package (only when <see cref="Installed"/>).</summary>
    public static FashionMnistData Data => Debian.Value;

    /// <summary>The repository's datasets/fashion-mnist.</summary>
    public static string SubsetFolder => Path.Combine(DatasetLocator.FindRepositoryRoot()!, "datasets", "fashion-mnist");

    /// <summary>The shipped subset, loaded from exactly its folder.</summary>
    public static FashionMnistData Subset => Shipped.Value;
}
