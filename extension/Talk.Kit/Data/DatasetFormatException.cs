namespace Talk.Kit.Data;

/// <summary>
/// The one error the data layer throws for data it cannot use: a missing file, a file that is not IDX, a
/// truncated or corrupt file, labels out of range, splits whose two files disagree. The message reads
/// "<c>where: what is wrong. How to fix it.</c>", so a face can show it as it is.
/// </summary>
/// <remarks>
/// It derives from <see cref="IOException"/>: <see cref="InvalidDataException"/>, the natural parent, is
/// sealed. Reading a file is I/O, and a missing file (reported here too, with the folders searched) is
/// <see cref="IOException"/>'s own territory, so callers catch one type for every data problem.
/// </remarks>
public sealed class DatasetFormatException : IOException
{
    /// <summary>Creates the exception; the message is <c>"{location}: {problem}. {fix}"</c>.</summary>
    /// <param name="location">The file (or folder) at fault.</param>
    /// <param name="problem">What is wrong, one clause, no final full stop.</param>
    /// <param name="fix">What to do about it, one or two sentences.</param>
    /// <param name="inner">The low-level error, if one caused this (e.g. the gzip decoder's).</param>
    public DatasetFormatException(string location, string problem, string fix, Exception? inner = null)
        : base($"{location}: {problem}. {fix}", inner)
    {
        Location = location;
        Problem = problem;
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string Location { get; }

    /// <summary>What is wrong, without the location and the fix.</summary>
    public string Problem { get; }
}
