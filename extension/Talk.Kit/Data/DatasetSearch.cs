namespace Talk.Kit.Data;

/// <summary>The result of a search: the place chosen (the full set first, else a subset), and every place looked in.</summary>
/// <param name="Dataset">The dataset's name, e.g. "Fashion-MNIST".</param>
/// <param name="Chosen">The folder to load from, or null when no folder holds a usable copy.</param>
/// <param name="Candidates">Every folder looked in, in search order, with what each holds.</param>
public sealed record DatasetSearch(string Dataset, DatasetLocation? Chosen, IReadOnlyList<DatasetLocation> Candidates)
{
    /// <summary>Why <see cref="Chosen"/> was chosen (or why nothing was), in one or two sentences.</summary>
    public string Reason { get; init; } = "";

    /// <summary>True when the chosen folder holds the full dataset.</summary>
    public bool IsFull => Chosen?.IsFull == true;
}
