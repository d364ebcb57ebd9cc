using System.Globalization;

namespace Talk.Kit.Data;

/// <summary>
/// One folder's Fashion-MNIST files: finds them (.gz first, then raw), judges them from their headers alone,
/// and holds the checks the loader repeats on the real data (image size, equal counts in a split).
/// </summary>
internal static class FashionMnistFolder
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The path of <paramref name="stem"/>.gz or <paramref name="stem"/> in the folder, or null.</summary>
    public static string? FindFile(string directory, string stem) =>
        new[] { stem + ".gz", stem }.Select(n => Path.Combine(directory, n)).FirstOrDefault(File.Exists);

    /// <summary>Looks at the folder without reading any data: which files are there and what their headers declare.</summary>
    public static DatasetLocation Inspect(string source, string directory)
    {
        if (!Directory.Exists(directory))
            return new DatasetLocation(source, directory, false, []) { Note = "no such folder" };

        var paths = FashionMnist.FileStems.Select(stem => FindFile(directory, stem)).ToList();
        var present = paths.OfType<string>().Select(Path.GetFileName).OfType<string>().ToList();
        var missing = FashionMnist.FileStems.Where((_, i) => paths[i] is null).Select(s => s + "(.gz)").ToList();
        if (present.Count == 0)
            return new DatasetLocation(source, directory, false, present) { Note = "none of the four files" };
        if (missing.Count > 0)
            return new DatasetLocation(source, directory, false, present)
                { Status = DatasetStatus.Incomplete, Note = "missing " + string.Join(", ", missing) };

        try
        {
            int train = SplitCount(paths[0]!, paths[1]!), test = SplitCount(paths[2]!, paths[3]!);
            bool full = train == FashionMnist.FullTrainCount && test == FashionMnist.FullTestCount;
            return new DatasetLocation(source, directory, true, present)
            {
                Status = full ? DatasetStatus.Full : DatasetStatus.Subset,
                TrainCount = train,
                TestCount = test,
                Note = $"{(full ? "full set" : "subset")}: {train.ToString("N0", Inv)} train, {test.ToString("N0", Inv)} test",
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) // DatasetFormatException is an IOException
        {
            string note = e is DatasetFormatException d ? $"{Path.GetFileName(d.Location)}: {d.Problem}" : e.Message;
            return new DatasetLocation(source, directory, false, present) { Status = DatasetStatus.Unreadable, Note = note };
        }
    }

    /// <summary>The image count of a split, from its two headers, after checking they agree.</summary>
    private static int SplitCount(string imagesPath, string labelsPath)
    {
        var images = IdxFile.ReadHeader(imagesPath, IdxFile.ImageDimensions);
        var labels = IdxFile.ReadHeader(labelsPath, IdxFile.LabelDimensions);
        CheckImageSize(images);
        CheckSameCount(images, labels);
        return images.Count;
    }

    /// <summary>Fashion-MNIST images are 28 × 28.</summary>
    public static void CheckImageSize(IdxHeader images)
    {
        if (images.Dimensions[1] != FashionMnist.Rows || images.Dimensions[2] != FashionMnist.Cols)
            throw new DatasetFormatException(images.Path,
                $"images are {images.Dimensions[1]}×{images.Dimensions[2]}, Fashion-MNIST images are {FashionMnist.Rows}×{FashionMnist.Cols}",
                IdxFile.Fix);
    }

    /// <summary>The images and labels files of a split must declare the same count.</summary>
    public static void CheckSameCount(IdxHeader images, IdxHeader labels)
    {
        if (images.Count != labels.Count)
            throw new DatasetFormatException(images.Path,
                $"holds {images.Count.ToString("N0", Inv)} images but {Path.GetFileName(labels.Path)} holds {labels.Count.ToString("N0", Inv)} labels",
                "The two files of a split must come from the same release: replace both. " + IdxFile.Fix);
    }

    /// <summary>Every label must name one of the ten classes.</summary>
    public static void CheckLabels(string labelsPath, byte[] labels)
    {
        int bad = Array.FindIndex(labels, l => l >= FashionMnist.ClassNames.Count);
        if (bad >= 0)
            throw new DatasetFormatException(labelsPath,
                $"label {labels[bad]} at index {bad.ToString("N0", Inv)} is out of range: Fashion-MNIST labels are 0–{FashionMnist.ClassNames.Count - 1}",
                IdxFile.Fix);
    }
}
