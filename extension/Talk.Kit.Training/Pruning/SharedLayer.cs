using Talk.Kit.Compression.Sharing;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// One layer under trained weight sharing: its codebook (the centroids being fine-tuned), the cluster of every weight
/// (−1 where pruned) and Adam's moments for the centroids.
/// </summary>
public sealed class SharedLayer
{
    private readonly int[] clusters;
    private readonly double[] m, v; // Adam's first and second moments, one per centroid
    private int t;

    internal SharedLayer(PrunableLayer layer, int bits, float[] weights)
    {
        Layer = layer;
        Bits = bits;
        var shared = WeightSharing.Cluster(weights, bits);
        Centroids = shared.Centroids.ToArray();
        clusters = shared.DenseIndices(weights);
        m = new double[Centroids.Length];
        v = new double[Centroids.Length];
        Iterations = shared.Iterations;
    }

    public PrunableLayer Layer { get; }

    /// <summary>Index bits: 2^Bits centroids.</summary>
    public int Bits { get; }

    /// <summary>The shared values, updated by every step (a live array: read, do not keep).</summary>
    public float[] Centroids { get; }

    /// <summary>k-means iterations of the initial clustering.</summary>
    public int Iterations { get; }

    /// <summary>Weights not pruned.</summary>
    public int NonZeros => clusters.Count(c => c >= 0);

    /// <summary>The layer as shared: centroid[cluster] per weight, 0 where pruned (row-major).</summary>
    public float[] Decode()
    {
        var dense = new float[clusters.Length];
        for (int i = 0; i < clusters.Length; i++) dense[i] = clusters[i] < 0 ? 0 : Centroids[clusters[i]];
        return dense;
    }

    /// <summary>
    /// One update from per-weight gradients ∂L/∂W: ∂L/∂C_k = Σ_{I_ij = k} ∂L/∂W_ij (Han et al. 2016, eq. 3; pruned weights
    /// have no cluster and give nothing), then an Adam step per centroid (Kingma &amp; Ba 2015, β₁ 0.9, β₂ 0.999):
    /// the summed gradient grows with the cluster's size, and Adam's per-centroid scaling keeps big and small clusters
    /// moving at comparable speed.
    /// </summary>
    public void Update(ReadOnlySpan<float> weightGradients, double learningRate)
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var g = ClusterGradients.Sum(weightGradients, clusters, Centroids.Length);
        t++;
        for (int k = 0; k < Centroids.Length; k++)
        {
            m[k] = beta1 * m[k] + (1 - beta1) * g[k];
            v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
            double mHat = m[k] / (1 - Math.Pow(beta1, t)), vHat = v[k] / (1 - Math.Pow(beta2, t));
            Centroids[k] = (float)(Centroids[k] - learningRate * mHat / (Math.Sqrt(vHat) + epsilon));
        }
    }
}
