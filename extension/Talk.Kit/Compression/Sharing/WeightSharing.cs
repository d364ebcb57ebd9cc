namespace Talk.Kit.Compression.Sharing;

/// <summary>
/// Weight sharing by 1-D k-means per layer (Han et al. 2016, §3.1): the non-zero weights of a layer are grouped into
/// k = 2^bits clusters minimising the within-cluster sum of squares Σ_i Σ_{w∈c_i} |w − c_i|², so each weight can be
/// stored as a bits-wide index into a codebook of k fp32 values.
/// </summary>
/// <remarks>
/// Initialisation is linear (§3.2, the paper's best: it keeps the rare large weights, which matter most): centroids
/// evenly spaced over [min, max] of the non-zeros. Then Lloyd iterations (assign each weight to its nearest centroid,
/// move each centroid to the mean of its weights) until no assignment changes.
/// In 1-D every cluster is an interval of the sorted weights, so an iteration is: cut the sorted weights at the
/// midpoints between neighbouring centroids (binary search), then take means from prefix sums — O(k log n), which
/// makes running to exact convergence cheap even for millions of weights. A weight exactly on a midpoint joins the
/// lower cluster; an empty cluster keeps its centroid (centroids stay ascending, so the intervals stay valid).
/// </remarks>
public static class WeightSharing
{
    /// <summary>Bits per conv weight in the paper (§3: 256 shared weights per conv layer).</summary>
    public const int ConvBits = 8;

    /// <summary>Bits per fc weight in the paper (§3: 32 shared weights per fc layer).</summary>
    public const int FcBits = 5;

    /// <summary>Default limit on Lloyd iterations (each is cheap; they usually converge long before).</summary>
    public const int DefaultMaxIterations = 1000;

    /// <summary>Clusters the non-zeros of <paramref name="weights"/> into 2^<paramref name="bits"/> shared values.</summary>
    /// <param name="weights">One layer, dense; zeros are pruned and left out.</param>
    /// <param name="bits">Index bits per weight, 1 to 16.</param>
    /// <param name="maxIterations">Lloyd iterations at most; 0 returns the linear initialisation with its assignment.</param>
    /// <exception cref="ArgumentException">A weight is NaN or infinite.</exception>
    public static SharedWeights Cluster(ReadOnlySpan<float> weights, int bits, int maxIterations = DefaultMaxIterations)
    {
        if (bits is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Weight-sharing bits are 1 to 16 (the paper uses 8 for conv, 5 for fc).");
        ArgumentOutOfRangeException.ThrowIfNegative(maxIterations);
        int k = 1 << bits;

        // The non-zeros, sorted, with where each came from (its rank among the non-zeros in row-major order).
        var values = new List<float>();
        foreach (float w in weights)
        {
            if (!float.IsFinite(w))
                throw new ArgumentException($"The layer holds {w}; weight sharing needs finite weights.", nameof(weights));
            if (w != 0) values.Add(w);
        }
        var sorted = values.ToArray();
        var order = Enumerable.Range(0, sorted.Length).ToArray();
        Array.Sort(sorted, order);
        if (sorted.Length == 0)
            return new SharedWeights(new float[k], [], 0, true);

        var prefix = new double[sorted.Length + 1]; // prefix[i] = Σ sorted[0..i−1]: any cluster's sum in O(1)
        for (int i = 0; i < sorted.Length; i++)
            prefix[i + 1] = prefix[i] + sorted[i];

        var centroids = LinearCentroids(sorted[0], sorted[^1], k);
        var cuts = Cuts(sorted, centroids); // cluster j = sorted[cuts[j] .. cuts[j+1]−1]
        int iterations = 0;
        bool converged = false;
        while (iterations < maxIterations)
        {
            iterations++;
            for (int j = 0; j < k; j++)
                if (cuts[j + 1] > cuts[j])
                    centroids[j] = (float)((prefix[cuts[j + 1]] - prefix[cuts[j]]) / (cuts[j + 1] - cuts[j]));
            var next = Cuts(sorted, centroids);
            converged = next.AsSpan().SequenceEqual(cuts);
            cuts = next;
            if (converged) break;
        }

        var indices = new int[sorted.Length];
        for (int j = 0; j < k; j++)
            for (int i = cuts[j]; i < cuts[j + 1]; i++)
                indices[order[i]] = j;
        return new SharedWeights(centroids, indices, iterations, converged);
    }

    /// <summary>The paper's linear initialisation: c_j = min + j·(max − min)/(k − 1), j = 0..k−1.</summary>
    public static float[] LinearCentroids(float min, float max, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var centroids = new float[k];
        for (int j = 0; j < k; j++)
            centroids[j] = k == 1 ? min : (float)(min + j * ((double)max - min) / (k - 1));
        return centroids;
    }

    // Assignment step: cut j+1 = first sorted index whose value lies above the midpoint of centroids j and j+1,
    // i.e. nearer to c_{j+1} (ties stay with c_j). cuts[0] = 0, cuts[k] = n.
    private static int[] Cuts(float[] sorted, float[] centroids)
    {
        int k = centroids.Length;
        var cuts = new int[k + 1];
        cuts[k] = sorted.Length;
        for (int j = 0; j + 1 < k; j++)
        {
            double mid = ((double)centroids[j] + centroids[j + 1]) / 2;
            int lo = cuts[j], hi = sorted.Length; // first index in [lo, hi) with value > mid
            while (lo < hi)
            {
                int m = (lo + hi) >>> 1;
                if (sorted[m] > mid) hi = m; else lo = m + 1;
            }
            cuts[j + 1] = lo;
        }
        return cuts;
    }
}
