namespace Talk.Kit.Compression.Sharing;

/// <summary>
/// One layer after weight sharing (Han et al. 2016, §3): a codebook of centroids and, for each non-zero weight in
/// row-major order, the index of its centroid. Pruned weights (zeros) have no index and stay zero.
/// </summary>
/// <param name="Centroids">The shared values, ascending; 2^bits of them (some may be unused).</param>
/// <param name="Indices">Per non-zero weight, in order: its cluster, 0..Centroids.Count − 1.</param>
/// <param name="Iterations">Lloyd iterations run.</param>
/// <param name="Converged">True when an iteration changed no assignment (false: stopped at the iteration limit).</param>
public sealed record SharedWeights(IReadOnlyList<float> Centroids, IReadOnlyList<int> Indices, int Iterations, bool Converged)
{
    /// <summary>The dense layer as shared: centroid[index] at each non-zero of <paramref name="prunedWeights"/>, 0 elsewhere.</summary>
    /// <param name="prunedWeights">The layer these indices were computed from (only its zero pattern is read).</param>
    public float[] Decode(ReadOnlySpan<float> prunedWeights)
    {
        var dense = new float[prunedWeights.Length];
        int k = 0;
        for (int p = 0; p < prunedWeights.Length; p++)
            if (prunedWeights[p] != 0)
                dense[p] = Centroids[Indices[k++]];
        return dense;
    }

    /// <summary>Cluster index per weight, −1 where pruned: the index map centroid fine-tuning needs (<see cref="ClusterGradients"/>).</summary>
    public int[] DenseIndices(ReadOnlySpan<float> prunedWeights)
    {
        var dense = new int[prunedWeights.Length];
        int k = 0;
        for (int p = 0; p < prunedWeights.Length; p++)
            dense[p] = prunedWeights[p] != 0 ? Indices[k++] : -1;
        return dense;
    }
}
