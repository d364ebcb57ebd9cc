namespace Talk.Kit.Data;

/// <summary>What a folder holds of a dataset, judged from file names and IDX headers only (cheap).</summary>
public enum DatasetStatus
{
    /// <summary>No such folder, or none of the files.</summary>
    Absent,

    /// <summary>Some of the files are missing.</summary>
    Incomplete,

    /// <summary>All files are there but a header is wrong, or the two files of a split disagree.</summary>
    Unreadable,

    /// <summary>All files, consistent, with fewer images than the published dataset (e.g. the shipped subset).</summary>
    Subset,

    /// <summary>All files with the published counts (Fashion-MNIST: 60,000 train, 10,000 test).</summary>
    Full,
}
