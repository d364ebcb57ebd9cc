namespace Talk.Kit.Compression.Sharing;

/// <summary>
/// The gradient of the loss with respect to the shared centroids, for fine-tuning them (Han et al. 2016, §3.3, eq. 3):
/// ∂L/∂C_k = Σ_ij ∂L/∂W_ij · 1(I_ij = k) — every weight's gradient flows to its centroid, so a centroid's gradient
/// is the sum over its cluster (the paper's Fig. 3: "group by" then "reduce").
/// </summary>
public static class ClusterGradients
{
    /// <summary>Sums <paramref name="gradients"/> per cluster.</summary>
    /// <param name="gradients">∂L/∂W per weight of one layer, any layout (flattened).</param>
    /// <param name="indices">Cluster per weight in the same layout, −1 for pruned weights (skipped: they stay zero);
    /// e.g. <see cref="SharedWeights.DenseIndices"/>.</param>
    /// <param name="clusterCount">Number of centroids k.</param>
    /// <returns>∂L/∂C_k for k = 0..clusterCount − 1 (summed in double, rounded once).</returns>
    public static float[] Sum(ReadOnlySpan<float> gradients, ReadOnlySpan<int> indices, int clusterCount)
    {
        if (gradients.Length != indices.Length)
            throw new ArgumentException($"{gradients.Length} gradients but {indices.Length} cluster indices: give one index per weight.", nameof(indices));
        ArgumentOutOfRangeException.ThrowIfLessThan(clusterCount, 1);
        var sums = new double[clusterCount];
        for (int i = 0; i < gradients.Length; i++)
        {
            int c = indices[i];
            if (c == -1) continue;
            if ((uint)c >= (uint)clusterCount)
                throw new ArgumentOutOfRangeException(nameof(indices), c, $"Weight {i} has cluster {c}; clusters are 0..{clusterCount - 1} (or −1 when pruned).");
            sums[c] += gradients[i];
        }
        return sums.Select(s => (float)s).ToArray();
    }
}
