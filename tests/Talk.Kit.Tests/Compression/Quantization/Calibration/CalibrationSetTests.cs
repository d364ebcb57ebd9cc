using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Calibration;
using Talk.Kit.Data;
using Talk.Kit.Tests.Data;

namespace Talk.Kit.Tests.Compression.Quantization.Calibration;

public sealed class CalibrationSetTests
{
    private static readonly FashionMnistData subset = FullSet.Subset;

    [Fact]
    public void Picks_ClassBalancedTrainingImages()
    {
        var set = CalibrationSet.FromTraining(subset, 512);

        Assert.Equal(512, set.Count);
        Assert.Equal([52, 52, 51, 51, 51, 51, 51, 51, 51, 51], set.ClassCounts()); // 512 = 10·51 + 2
        Assert.StartsWith("Fashion-MNIST train", set.Source);
        Assert.Contains("calibration set: 512 class-balanced, seed 20261126", set.Source);
    }

    [Fact]
    public void SameSeed_SameImages_OtherSeed_OtherImages()
    {
        var a = CalibrationSet.FromTraining(subset, 100);
        var b = CalibrationSet.FromTraining(subset, 100);
        var c = CalibrationSet.FromTraining(subset, 100, seed: 1);

        Assert.Equal(a.Pixels, b.Pixels);
        Assert.NotEqual(a.Pixels, c.Pixels);
        Assert.Equal(c.ClassCounts(), a.ClassCounts());
    }

    [Fact]
    public void EveryImage_ComesFromTheTrainingSplit()
    {
        var set = CalibrationSet.FromTraining(subset, 200);
        var train = Enumerable.Range(0, subset.Train.Count).Select(i => Convert.ToBase64String(subset.Train.Image(i))).ToHashSet();

        Assert.All(Enumerable.Range(0, set.Count), i => Assert.Contains(Convert.ToBase64String(set.Image(i)), train));
    }

    [Fact]
    public void TestSplit_IsRefused()
    {
        var error = Assert.Throws<QuantizationException>(() => CalibrationSet.Pick(subset.Test, 100));
        Assert.Contains("These are test images", error.Message);
    }

    [Fact]
    public void TooManyForAClass_SaysHowManyFit()
    {
        var error = Assert.Throws<QuantizationException>(() => CalibrationSet.Pick(subset.Train, 10 * subset.Train.Count));
        Assert.Contains($"Ask for at most {subset.Train.ClassCounts().Min() * 10} images", error.Message);
    }
}
