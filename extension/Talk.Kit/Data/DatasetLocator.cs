using System.Globalization;

namespace Talk.Kit.Data;

/// <summary>
/// Finds a dataset's files. Places, in order: a path the user gives; the environment variable
/// <c>TALKKIT_DATA</c> (a folder holding one sub-folder per dataset); the repository's <c>datasets/</c>
/// folder (the small subset shipped for offline use); the Debian package's folder
/// (<c>dataset-fashion-mnist</c> installs <c>/usr/share/datasets/fashion-mnist</c>).
/// The first place holding the FULL set wins; only when none does, the first place holding a complete subset.
/// Places are judged by their IDX headers alone, so a search reads a few bytes per file.
/// </summary>
public static class DatasetLocator
{
    /// <summary>Environment variable naming a folder with one sub-folder per dataset.</summary>
    public const string EnvironmentVariable = "TALKKIT_DATA";

    /// <summary>Fashion-MNIST's four IDX files (gzip); a folder may hold them uncompressed instead.</summary>
    public static readonly IReadOnlyList<string> FashionMnistFiles = FashionMnist.FileStems;

    /// <summary>Looks for Fashion-MNIST: the first place with the full set, else the first with a complete subset.</summary>
    /// <param name="userPath">A folder to look in first (holding the four files), or null.</param>
    public static DatasetSearch FindFashionMnist(string? userPath = null)
    {
        var candidates = CandidateFolders("fashion-mnist", userPath)
            .Select(c => FashionMnistFolder.Inspect(c.Source, c.Directory))
            .ToList();
        return Choose("Fashion-MNIST", candidates);
    }

    /// <summary>The rule: the first candidate with the full set, else the first with a complete subset, else none.</summary>
    internal static DatasetSearch Choose(string dataset, IReadOnlyList<DatasetLocation> candidates)
    {
        var chosen = candidates.FirstOrDefault(c => c.Status == DatasetStatus.Full)
                     ?? candidates.FirstOrDefault(c => c.Status == DatasetStatus.Subset);
        return new DatasetSearch(dataset, chosen, candidates) { Reason = Reason(chosen, candidates) };
    }

    /// <summary>The repository root (the folder with Talk.Kit.sln), searched upwards from the working directory and from this assembly.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Talk.Kit.sln")))
                    return dir.FullName;
        }
        return null;
    }

    /// <summary>"where (source): what", for messages.</summary>
    internal static string Describe(DatasetLocation c) => $"{c.Directory} ({c.Source}: {c.Note})";

    private static string Reason(DatasetLocation? chosen, IReadOnlyList<DatasetLocation> candidates)
    {
        if (chosen is null)
            return $"No folder holds all four files; looked in {string.Join("; ", candidates.Select(Describe))}.";
        if (chosen.IsFull)
        {
            var skipped = candidates.TakeWhile(c => !ReferenceEquals(c, chosen)).Where(c => c.Found).Select(c => c.Directory).ToList();
            return $"Using the full set in {chosen.Directory} ({chosen.Source}: {chosen.TrainCount.ToString("N0", CultureInfo.InvariantCulture)} train, " +
                   $"{chosen.TestCount.ToString("N0", CultureInfo.InvariantCulture)} test), the first place holding it" +
                   (skipped.Count > 0 ? $"; preferred over the subset in {string.Join(", ", skipped)}." : ".");
        }
        var unusable = candidates.Where(c => c.Status == DatasetStatus.Unreadable).Select(Describe).ToList();
        return $"No folder holds the full set; using the subset in {Describe(chosen)}. " +
               (unusable.Count > 0 ? $"Unusable: {string.Join("; ", unusable)}. " : "") +
               "For the full set install the Debian package dataset-fashion-mnist or set TALKKIT_DATA.";
    }

    private static IEnumerable<(string Source, string Directory)> CandidateFolders(string dataset, string? userPath)
    {
        if (!string.IsNullOrWhiteSpace(userPath))
            yield return ("argument", Path.GetFullPath(userPath));
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env)
            yield return ($"environment {EnvironmentVariable}", Path.Combine(Path.GetFullPath(env), dataset));
        if (FindRepositoryRoot() is { } root)
            yield return ("repository", Path.Combine(root, "datasets", dataset));
        yield return ("Debian package", Path.Combine("/usr/share/datasets", dataset));
    }
}
