using Talk.Kit.Compression.Quantization;
using Talk.Kit.Training.Qat;

namespace Talk.Kit.Tests.Training.Qat;

public sealed class RangeObserverTests
{
    [Fact]
    public void MovingAverage_StartsAtTheFirstBatch_ThenMovesByMomentum()
    {
        var observer = new RangeObserver(RangeTracking.MovingAverage, momentum: 0.5);
        observer.Observe(-1, 2);
        Assert.Equal(new TensorRange(-1, 2), observer.Range);
        observer.Observe(-3, 4);   // −1 + 0.5·(−3 − (−1)) = −2; 2 + 0.5·(4 − 2) = 3
        Assert.Equal(new TensorRange(-2, 3), observer.Range);
        observer.Observe(0, 1);    // −2 + 0.5·2 = −1; 3 + 0.5·(−2) = 2
        Assert.Equal(new TensorRange(-1, 2), observer.Range);
        Assert.Equal(3, observer.Batches);
    }

    [Fact]
    public void MovingAverage_WithDefaultMomentum_FollowsSlowly()
    {
        var observer = new RangeObserver();
        observer.Observe(0, 10);
        for (int i = 0; i < 100; i++) observer.Observe(0, 20);
        // max = 20 − 10·0.99^100 = 16.34 (a batch's weight decays by 1 − m per step).
        Assert.Equal(20 - 10 * Math.Pow(0.99, 100), observer.Range.Max, 4);
    }

    [Fact]
    public void MinMax_KeepsTheWidestRange()
    {
        var observer = new RangeObserver(RangeTracking.MinMax);
        observer.Observe(-1, 2);
        observer.Observe(-3, 1);
        observer.Observe(0, 5);
        Assert.Equal(new TensorRange(-3, 5), observer.Range);
    }

    [Fact]
    public void Frozen_IgnoresBatches()
    {
        var observer = new RangeObserver(momentum: 0.5);
        observer.Observe(0, 1);
        observer.Frozen = true;
        observer.Observe(-100, 100);
        Assert.Equal(new TensorRange(0, 1), observer.Range);
        Assert.Equal(1, observer.Batches);
    }

    [Fact]
    public void NoBatchYet_OrANaNBatch_IsAClearError()
    {
        var observer = new RangeObserver();
        Assert.Contains("No range observed yet", Assert.Throws<InvalidOperationException>(() => observer.Range).Message);
        Assert.Throws<ArgumentException>(() => observer.Observe(float.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RangeObserver(momentum: 0));
    }
}
