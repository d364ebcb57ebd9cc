namespace Talk.Kit.Training.Pruning;

/// <summary>Which weights magnitude pruning keeps, computed on plain arrays (the tensors are read once).</summary>
internal static class MagnitudeCriterion
{
    /// <summary>
    /// Keeps all but the round(sparsity·n) smallest |w|; ties are broken by position, so the count is exact. Weights
    /// already pruned (zero) are the smallest, so pruning again to a higher sparsity keeps them pruned.
    /// </summary>
    public static bool[] KeepLargest(ReadOnlySpan<float> weights, double sparsity)
    {
        CheckSparsity(sparsity);
        int prune = (int)Math.Round(sparsity * weights.Length);
        var magnitudes = new float[weights.Length];
        var order = new int[weights.Length];
        for (int i = 0; i < weights.Length; i++) (magnitudes[i], order[i]) = (Math.Abs(weights[i]), i);
        Array.Sort(magnitudes, order); // introsort is not stable, but every |w| ties are equal magnitudes: any pick is a valid answer
        var keep = new bool[weights.Length];
        Array.Fill(keep, true);
        for (int r = 0; r < prune; r++) keep[order[r]] = false;
        return keep;
    }

    /// <summary>
    /// Han et al. 2015 (§3): threshold = quality × σ of the layer's weights, keep |w| &gt; threshold. σ is over all the
    /// layer's weights as they are now (zeros included), so repeated pruning at the same quality keeps going (slowly).
    /// </summary>
    public static bool[] KeepAboveQuality(ReadOnlySpan<float> weights, double quality)
    {
        if (!(quality >= 0) || double.IsInfinity(quality))
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "The quality parameter is a non-negative multiple of the weights' standard deviation, e.g. 1.0.");
        double threshold = quality * StandardDeviation(weights);
        var keep = new bool[weights.Length];
        for (int i = 0; i < weights.Length; i++) keep[i] = Math.Abs(weights[i]) > threshold;
        return keep;
    }

    /// <summary>Population standard deviation σ = √(Σ(w − μ)²/n), in double.</summary>
    public static double StandardDeviation(ReadOnlySpan<float> weights)
    {
        if (weights.Length == 0) return 0;
        double mean = 0;
        foreach (float w in weights) mean += w;
        mean /= weights.Length;
        double squares = 0;
        foreach (float w in weights) squares += (w - mean) * (w - mean);
        return Math.Sqrt(squares / weights.Length);
    }

    /// <summary>The magnitude below which round(sparsity·n) of all the weights lie: one threshold across layers.</summary>
    public static float GlobalThreshold(IEnumerable<float[]> layers, double sparsity)
    {
        CheckSparsity(sparsity);
        var magnitudes = layers.SelectMany(l => l).Select(Math.Abs).ToArray();
        int prune = (int)Math.Round(sparsity * magnitudes.Length);
        if (prune == 0) return -1; // keeps everything, zeros too (|w| > −1)
        Array.Sort(magnitudes);
        return magnitudes[prune - 1];
    }

    public static void CheckSparsity(double sparsity)
    {
        if (!(sparsity >= 0 && sparsity <= 1))
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "Sparsity is the fraction of weights pruned, 0 to 1 (e.g. 0.9 keeps 10%).");
    }
}
