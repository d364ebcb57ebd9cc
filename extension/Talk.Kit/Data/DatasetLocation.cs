namespace Talk.Kit.Data;

/// <summary>Where a dataset was looked for and what was there.</summary>
/// <param name="Source">How this place was chosen ("argument", "environment TALKKIT_DATA", "repository", "Debian package", "folder").</param>
/// <param name="Directory">The folder looked in.</param>
/// <param name="Found">True when the folder holds a usable copy: <see cref="Status"/> is Full or Subset.</param>
/// <param name="Files">Dataset files present in the folder (names, e.g. "t10k-images-idx3-ubyte.gz").</param>
public sealed record DatasetLocation(string Source, string Directory, bool Found, IReadOnlyList<string> Files)
{
    /// <summary>Full set, subset, or why the folder is not usable.</summary>
    public DatasetStatus Status { get; init; } = DatasetStatus.Absent;

    /// <summary>Training images the headers declare (0 when unknown).</summary>
    public int TrainCount { get; init; }

    /// <summary>Test images the headers declare (0 when unknown).</summary>
    public int TestCount { get; init; }

    /// <summary>One line on what is there, or what is wrong (e.g. "missing t10k-labels-idx1-ubyte(.gz)").</summary>
    public string Note { get; init; } = "";

    /// <summary>True when the folder holds the full published dataset.</summary>
    public bool IsFull => Status == DatasetStatus.Full;
}
