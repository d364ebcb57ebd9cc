namespace Talk.Kit.Data;

/// <summary>Where a dataset was looked for and whether it was there.</summary>
/// <param name="Source">How this place was chosen ("argument", "environment TALKKIT_DATA", "repository", "Debian package").</param>
/// <param name="Directory">The folder looked in.</param>
/// <param name="Found">True when every required file is there.</param>
/// <param name="Files">Required files present in the folder.</param>
public sealed record DatasetLocation(string Source, string Directory, bool Found, IReadOnlyList<string> Files);

/// <summary>The result of a search: the first place that has the data, and every place looked in.</summary>
public sealed record DatasetSearch(string Dataset, DatasetLocation? Chosen, IReadOnlyList<DatasetLocation> Candidates);

/// <summary>
/// Finds a dataset's files, in this order: a path the user gives; the environment variable
/// <c>TALKKIT_DATA</c> (a folder holding one sub-folder per dataset); the repository's <c>datasets/</c>
/// folder (the small subset shipped for offline use); the Debian package's folder
/// (<c>dataset-fashion-mnist</c> installs <c>/usr/share/datasets/fashion-mnist</c>).
/// </summary>
public static class DatasetLocator
{
    /// <summary>Environment variable naming a folder with one sub-folder per dataset.</summary>
    public const string EnvironmentVariable = "TALKKIT_DATA";

    /// <summary>Fashion-MNIST's four IDX files (gzip); a folder may hold them uncompressed instead.</summary>
    public static readonly IReadOnlyList<string> FashionMnistFiles =
    [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ];

    /// <summary>Looks for Fashion-MNIST. A folder counts when it has at least the test split (t10k) files.</summary>
    public static DatasetSearch FindFashionMnist(string? userPath = null)
    {
        var candidates = CandidateFolders("fashion-mnist", userPath)
            .Select(c => Inspect(c.Source, c.Directory))
            .ToList();
        return new DatasetSearch("Fashion-MNIST", candidates.FirstOrDefault(c => c.Found), candidates);
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

    private static DatasetLocation Inspect(string source, string directory)
    {
        var present = new List<string>();
        if (Directory.Exists(directory))
        {
            foreach (var name in FashionMnistFiles)
            {
                var file = new[] { name + ".gz", name }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);
                if (file is not null) present.Add(Path.GetFileName(file));
            }
        }
        bool hasTestSplit = present.Count(f => f.StartsWith("t10k", StringComparison.Ordinal)) == 2;
        return new DatasetLocation(source, directory, hasTestSplit, present);
    }
}
