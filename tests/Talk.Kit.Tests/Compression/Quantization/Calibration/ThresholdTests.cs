using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Calibration;

namespace Talk.Kit.Tests.Compression.Quantization.Calibration;

public sealed class ThresholdTests
{
    private const int N = 1_000_000;

    [Fact]
    public void Percentile_OfUniform_IsItsQuantile()
    {
        var random = new Random(11);
        float[] x = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(); // U(−1, 1): |x| ~ U(0, 1)
        var h = Histogram(x, 2048);

        double t = PercentileThreshold.Of(h, 99);

        Assert.InRange(t, 0.99 - 0.003, 0.99 + 0.003);                  // the population value
        Assert.InRange(t, SampleQuantile(x, 0.99) - h.BinWidth, SampleQuantile(x, 0.99) + h.BinWidth); // the sample's, to a bin
    }

    [Fact]
    public void Percentile_OfGaussian_Is3point89Sigma_At99point99()
    {
        var x = Gaussian(N, seed: 12);
        var h = Histogram(x, 2048);

        double t = PercentileThreshold.Of(h, 99.99);

        Assert.InRange(t, 3.89 - 0.1, 3.89 + 0.1); // P(|z| ≤ 3.8906) = 0.9999; sampling sd of this quantile ≈ 0.03
        Assert.InRange(t, SampleQuantile(x, 0.9999) - h.BinWidth, SampleQuantile(x, 0.9999) + h.BinWidth);
    }

    [Fact]
    public void RangeFromThreshold_IsSymmetricForSigned_AndOneSidedAfterRelu()
    {
        Assert.Equal(new TensorRange(-2f, 2f), PercentileThreshold.RangeFromThreshold(new TensorRange(-5f, 7f), 2));
        Assert.Equal(new TensorRange(-1f, 2f), PercentileThreshold.RangeFromThreshold(new TensorRange(-1f, 7f), 2)); // never wider than seen
        Assert.Equal(new TensorRange(0f, 3f), PercentileThreshold.RangeFromThreshold(new TensorRange(0f, 9f), 3));
    }

    [Fact]
    public void Divergence_MatchesAHandComputation()
    {
        // Keep 4 bins of [1,1,1,1 | 2], 2 levels: P = [1,1,1,1+2]/6, Q = levels {1+1},{1+1} spread = [1,1,1,1]/4.
        // KL = 3·(1/6)·ln((1/6)/(1/4)) + (3/6)·ln((3/6)/(1/4)) = ½·ln(2/3) + ½·ln 2 = ½·ln(4/3).
        var p = new double[5];
        var q = new double[5];
        double d = EntropyThreshold.Divergence([1, 1, 1, 1, 2], kept: 4, levels: 2, p, q);
        Assert.Equal(0.5 * Math.Log(4.0 / 3.0), d, 12);

        // Nothing clipped and each level's bins equal: Q = P, KL = 0.
        Assert.Equal(0.0, EntropyThreshold.Divergence([2, 0, 1, 1], kept: 4, levels: 2, p, q), 12);
    }

    [Fact]
    public void Entropy_OnGaussianWithOutliers_ClipsNear3To5Sigma_WhereMinMaxTakesTheOutlier()
    {
        var x = Gaussian(N, seed: 13);
        for (int i = 0; i < 10; i++) x[i * 1000] = i % 2 == 0 ? 50f : -50f; // 10 outliers at ±50σ
        var stats = new TensorStatistics("g", 2048);
        stats.Add(x);

        double t = EntropyThreshold.Of(stats.Histogram!);

        Assert.Equal(50f, stats.Range.AbsMax); // MinMax keeps the outliers: the int8 step would be 50/127 ≈ 0.39σ
        Assert.InRange(t, 3.0, 5.0);           // entropy clips them: step ≈ t/127 ≈ 0.03σ
    }

    [Fact]
    public void Entropy_OnUniform_KeepsTheWholeRange_BecauseClippingWouldOnlyLoseInformation()
    {
        var random = new Random(14);
        float[] x = Enumerable.Range(0, N).Select(_ => (float)random.NextDouble()).ToArray();
        var h = Histogram(x, 2048);

        double t = EntropyThreshold.Of(h);

        Assert.InRange(t, 0.99 * h.Upper, h.Upper);
    }

    internal static float[] Gaussian(int n, int seed)
    {
        var random = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) // Box–Muller
            x[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return x;
    }

    private static AbsHistogram Histogram(float[] x, int bins)
    {
        var h = new AbsHistogram(bins);
        h.Add(x, x.Max(Math.Abs));
        return h;
    }

    /// <summary>The q-quantile of |x| by sorting (what the histogram approximates).</summary>
    private static double SampleQuantile(float[] x, double q)
    {
        var abs = x.Select(Math.Abs).Order().ToArray();
        return abs[(int)Math.Ceiling(q * abs.Length) - 1];
    }
}
