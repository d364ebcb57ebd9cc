using Talk.Kit.Compression.Sharing;

namespace Talk.Kit.Tests.Compression.Sharing;

public class WeightSharingTests
{
    [Fact]
    public void LinearInit_SpacesCentroidsEvenlyFromMinToMax()
    {
        Assert.Equal(new[] { -1f, 0f, 1f, 2f }, WeightSharing.LinearCentroids(-1, 2, 4));

        // Through Cluster with no iteration: min and max of the NON-ZEROS (the pruned zeros are not data).
        float[] layer = [0, -0.5f, 0, 0.25f, 1.0f, 0];
        var init = WeightSharing.Cluster(layer, bits: 2, maxIterations: 0);
        Assert.Equal(new[] { -0.5f, 0f, 0.5f, 1.0f }, init.Centroids);
        Assert.Equal(new[] { 0, 1, 3 }, init.Indices); // 0.25 is a tie between 0 and 0.5: the lower cluster wins
    }

    [Fact]
    public void ThreeWellSeparatedClusters_AreRecoveredExactly()
    {
        var random = new Random(9);
        double[] centres = [-0.5, 0.1, 0.8];
        var group = new int[600];
        var layer = new float[600];
        for (int i = 0; i < layer.Length; i++)
        {
            group[i] = i % 3;
            layer[i] = (float)(centres[group[i]] + (random.NextDouble() - 0.5) * 0.02);
        }

        var shared = WeightSharing.Cluster(layer, bits: 2); // 4 clusters for 3 groups: one stays empty

        Assert.True(shared.Converged);
        for (int g = 0; g < 3; g++)
        {
            var members = Enumerable.Range(0, layer.Length).Where(i => group[i] == g).ToArray();
            int cluster = shared.Indices[members[0]];
            Assert.All(members, i => Assert.Equal(cluster, shared.Indices[i]));          // one group, one cluster
            float mean = (float)members.Average(i => (double)layer[i]);
            Assert.Equal(mean, shared.Centroids[cluster]);                                // at the group's mean
        }
    }

    [Fact]
    public void PrunedZeros_StayZero_AndGetNoIndex()
    {
        float[] layer = [0, 1f, 0, 2f, 0, 3f, 0, 4f];
        var shared = WeightSharing.Cluster(layer, bits: 2);

        Assert.Equal(4, shared.Indices.Count);
        Assert.Equal(layer, shared.Decode(layer)); // 4 distinct values, 4 clusters: exact
        Assert.Equal(new[] { -1, 0, -1, 1, -1, 2, -1, 3 }, shared.DenseIndices(layer));
    }

    [Fact]
    public void AllZeroLayer_HasNoIndices_AndDecodesToZeros()
    {
        var shared = WeightSharing.Cluster(new float[50], bits: 5);

        Assert.Empty(shared.Indices);
        Assert.Equal(32, shared.Centroids.Count);
        Assert.True(shared.Converged);
        Assert.Equal(new float[50], shared.Decode(new float[50]));
    }

    [Fact]
    public void Gaussian_ConvergesToAFixedPoint_WhereEveryWeightIsAtItsNearestCentroid()
    {
        var layer = Gaussian(new Random(4), 20_000);
        var shared = WeightSharing.Cluster(layer, bits: 5);

        Assert.True(shared.Converged, $"not converged after {shared.Iterations} iterations");
        for (int i = 0; i < layer.Length; i++)
        {
            double own = Math.Abs(layer[i] - shared.Centroids[shared.Indices[i]]);
            Assert.All(shared.Centroids, c => Assert.True(own <= Math.Abs(layer[i] - c)));
        }
        // Lloyd lowers the within-cluster error below that of the linear initialisation.
        Assert.True(Error(layer, shared) < Error(layer, WeightSharing.Cluster(layer, 5, maxIterations: 0)));
    }

    [Fact]
    public void SameInput_SameResult_WhateverTheOrderOfTheWeights()
    {
        var layer = Gaussian(new Random(5), 5000);
        var a = WeightSharing.Cluster(layer, bits: 4);
        var b = WeightSharing.Cluster(layer, bits: 4);
        var reversed = WeightSharing.Cluster(layer.Reverse().ToArray(), bits: 4);

        Assert.Equal(a.Centroids, b.Centroids);
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Centroids, reversed.Centroids);
        Assert.Equal(a.Indices, reversed.Indices.Reverse());
    }

    [Fact]
    public void NonFiniteWeights_AreRefused() =>
        Assert.Throws<ArgumentException>(() => WeightSharing.Cluster([1f, float.NaN], bits: 2));

    private static float[] Gaussian(Random random, int n) =>
        Enumerable.Range(0, n).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    private static double Error(float[] layer, SharedWeights shared) =>
        layer.Select((w, i) => Math.Pow(w - shared.Centroids[shared.Indices[i]], 2)).Sum();
}
