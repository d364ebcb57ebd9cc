namespace Talk.Kit.Compression.Pipeline;

/// <summary>The three stages of Deep Compression (Han, Mao &amp; Dally, ICLR 2016, Fig. 1), in the order they apply.</summary>
[Flags]
public enum CompressionStages
{
    None = 0,

    /// <summary>Zero the smallest-magnitude weights; store the rest with relative indices (§2).</summary>
    Prune = 1,

    /// <summary>Replace each weight by the nearest of 2^bits k-means centroids: an index per weight plus a codebook (§3).</summary>
    Share = 2,

    /// <summary>Huffman-code the cluster indices and the relative gaps into the <c>.tkdc</c> file (§4).</summary>
    Huffman = 4,

    /// <summary>The paper's whole pipeline.</summary>
    All = Prune | Share | Huffman,
}

/// <summary>Parses and words a pipeline such as <c>prune,share,huffman</c>.</summary>
public static class CompressionPipeline
{
    /// <summary>Parses a comma-separated list of stage names (any order, each at most once).</summary>
    /// <exception cref="ArgumentException">An unknown stage, or Huffman without sharing (it codes the cluster indices).</exception>
    public static CompressionStages Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stages = CompressionStages.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            stages |= part.ToLowerInvariant() switch
            {
                "prune" => CompressionStages.Prune,
                "share" => CompressionStages.Share,
                "huffman" => CompressionStages.Huffman,
                _ => throw new ArgumentException($"'{part}' is not a stage of Deep Compression; the stages are prune, share and huffman, e.g. prune,share,huffman."),
            };
        }
        Check(stages);
        return stages;
    }

    /// <summary>Throws for a pipeline that cannot run.</summary>
    public static void Check(CompressionStages stages)
    {
        if (stages == CompressionStages.None)
            throw new ArgumentException("Name at least one stage: prune, share or huffman, e.g. prune,share,huffman.");
        if (stages.HasFlag(CompressionStages.Huffman) && !stages.HasFlag(CompressionStages.Share))
            throw new ArgumentException("huffman codes the cluster indices of shared weights, so it needs share: use share,huffman or prune,share,huffman.");
    }

    /// <summary>"prune → share → huffman".</summary>
    public static string Describe(CompressionStages stages) =>
        string.Join(" → ", new[] { CompressionStages.Prune, CompressionStages.Share, CompressionStages.Huffman }
            .Where(s => stages.HasFlag(s)).Select(s => s.ToString().ToLowerInvariant()));
}
