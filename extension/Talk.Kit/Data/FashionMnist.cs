using System.Globalization;

namespace Talk.Kit.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv:1708.07747; Zalando Research, MIT licence): 28 × 28
/// grey-scale images of clothing in 10 classes, 60,000 for training and 10,000 for testing.
/// </summary>
/// <example><code>
/// var data = FashionMnist.Load();            // the full set when installed, else the shipped subset
/// float[] batch = data.Test.ToTensorData(0, 64);   // NCHW [64, 1, 28, 28], normalized
/// </code></example>
public static class FashionMnist
{
    /// <summary>Class names, indexed by label (the order of the dataset's README).</summary>
    public static readonly IReadOnlyList<string> ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>Image height in pixels.</summary>
    public const int Rows = 28;

    /// <summary>Image width in pixels.</summary>
    public const int Cols = 28;

    /// <summary>Training images in the published dataset.</summary>
    public const int FullTrainCount = 60_000;

    /// <summary>Test images in the published dataset.</summary>
    public const int FullTestCount = 10_000;

    /// <summary>The four IDX files, without ".gz": train images, train labels, test images, test labels.</summary>
    public static readonly IReadOnlyList<string> FileStems =
    [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ];

    /// <summary>
    /// Loads both splits from the place <see cref="DatasetLocator.FindFashionMnist"/> chooses: the first
    /// holding the full set, else the first holding a complete subset (the repository ships one).
    /// </summary>
    /// <param name="path">A folder to look in first, or null for the usual places.</param>
    /// <exception cref="DatasetFormatException">No place holds the files, or the chosen files are damaged.</exception>
    public static FashionMnistData Load(string? path = null)
    {
        var search = DatasetLocator.FindFashionMnist(path);
        var chosen = search.Chosen ?? throw NotFound(search);
        return new FashionMnistData(ReadSplit(chosen, "train"), ReadSplit(chosen, "test"), chosen, search);
    }

    /// <summary>Loads both splits from exactly this folder, with no search (full set or not).</summary>
    /// <exception cref="DatasetFormatException">A file is missing or damaged.</exception>
    public static FashionMnistData LoadFrom(string directory)
    {
        var location = FashionMnistFolder.Inspect("folder", Path.GetFullPath(directory));
        if (location.Status is DatasetStatus.Absent or DatasetStatus.Incomplete)
            throw new DatasetFormatException(location.Directory, location.Note,
                "The folder must hold the four Fashion-MNIST files: " + string.Join(", ", FileStems.Select(s => s + ".gz")) + " (or uncompressed).");
        // An Unreadable folder is read anyway: the full read throws the precise error for the damaged file.
        var search = new DatasetSearch("Fashion-MNIST", location, [location]) { Reason = $"Loaded from {location.Directory}, as asked (no search)." };
        return new FashionMnistData(ReadSplit(location, "train"), ReadSplit(location, "test"), location, search);
    }

    /// <summary>Loads only the training split, from the place <see cref="Load"/> would use.</summary>
    public static LabelledImages LoadTrain(string? path = null) => ReadSplit(Locate(path), "train");

    /// <summary>Loads only the test split, from the place <see cref="Load"/> would use (fast: 7.8 MB).</summary>
    public static LabelledImages LoadTest(string? path = null) => ReadSplit(Locate(path), "test");

    private static DatasetLocation Locate(string? path)
    {
        var search = DatasetLocator.FindFashionMnist(path);
        return search.Chosen ?? throw NotFound(search);
    }

    /// <summary>Reads one split's two files and checks them against each other and the class count.</summary>
    private static LabelledImages ReadSplit(DatasetLocation location, string split)
    {
        string prefix = split == "train" ? "train" : "t10k";
        string imagesPath = Require(location.Directory, prefix + "-images-idx3-ubyte");
        string labelsPath = Require(location.Directory, prefix + "-labels-idx1-ubyte");

        var (images, pixels) = IdxFile.Read(imagesPath, IdxFile.ImageDimensions);
        FashionMnistFolder.CheckImageSize(images);
        var (labelsHeader, labels) = IdxFile.Read(labelsPath, IdxFile.LabelDimensions);
        FashionMnistFolder.CheckSameCount(images, labelsHeader);
        FashionMnistFolder.CheckLabels(labelsPath, labels);

        bool full = images.Count == (split == "train" ? FullTrainCount : FullTestCount);
        string source = $"Fashion-MNIST {split} {(full ? "(full)" : "(subset)")}: {imagesPath} + {Path.GetFileName(labelsPath)}";
        return new LabelledImages(pixels, labels, Rows, Cols, ClassNames, source);
    }

    private static string Require(string directory, string stem) =>
        FashionMnistFolder.FindFile(directory, stem) ?? throw new DatasetFormatException(directory,
            $"missing {stem}.gz (or {stem})", "Put the four Fashion-MNIST files together in one folder. " + IdxFile.Fix);

    internal static DatasetFormatException NotFound(DatasetSearch search) => new("Fashion-MNIST",
        "not found; looked in " + string.Join("; ", search.Candidates.Select(DatasetLocator.Describe)),
        "Install the Debian package (sudo apt-get install dataset-fashion-mnist), set TALKKIT_DATA to a folder holding " +
        "fashion-mnist/ with the four files, or pass such a folder to FashionMnist.Load(path).");

    internal static string N0(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
