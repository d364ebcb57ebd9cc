using Talk.Kit.Compression.Sharing;

namespace Talk.Kit.Tests.Compression.Sharing;

public class ClusterGradientsTests
{
    [Fact]
    public void Sum_AddsEachWeightsGradientToItsCentroid_SkippingPrunedWeights()
    {
        // Han et al. eq. 3: ∂L/∂C_k = Σ ∂L/∂W_ij · 1(I_ij = k).
        float[] gradients = [0.1f, -0.2f, 0.3f, 9f, 0.5f, -0.1f];
        int[] indices = [0, 1, 0, -1, 2, 1];

        var sums = ClusterGradients.Sum(gradients, indices, clusterCount: 4);

        Assert.Equal(new[] { 0.4f, -0.3f, 0.5f, 0f }, sums); // cluster 3 has no weight; the pruned 9 is ignored
    }

    [Fact]
    public void Sum_RefusesMismatchedLengths_AndUnknownClusters()
    {
        Assert.Throws<ArgumentException>(() => ClusterGradients.Sum([1f, 2f], [0], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterGradients.Sum([1f], [2], 2));
    }

    [Fact]
    public void Sum_WithTheIndexMapOfASharedLayer_MatchesAPerClusterLoop()
    {
        var random = new Random(2);
        var layer = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() < 0.2 ? (float)random.NextDouble() : 0f).ToArray();
        var shared = WeightSharing.Cluster(layer, bits: 3);
        var gradients = Enumerable.Range(0, 1000).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var map = shared.DenseIndices(layer);

        var sums = ClusterGradients.Sum(gradients, map, 8);

        for (int k = 0; k < 8; k++)
            Assert.Equal((float)Enumerable.Range(0, 1000).Where(i => map[i] == k).Sum(i => (double)gradients[i]), sums[k]);
    }
}
