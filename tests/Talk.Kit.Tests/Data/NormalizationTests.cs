using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

public class NormalizationTests
{
    [Fact]
    public void KnownPixels_MapToTheFormulaValues()
    {
        // (0/255 − 0.2860406) / 0.3530242 and (255/255 − 0.2860406) / 0.3530242, worked out by hand.
        Assert.Equal(-0.8102578f, Normalization.Normalize(0), 6);
        Assert.Equal(2.0224092f, Normalization.Normalize(255), 6);
        // The mean pixel maps to zero: p = 255 · 0.2860406 ≈ 72.94 lies between 72 and 73.
        Assert.True(Normalization.Normalize(72) < 0 && Normalization.Normalize(73) > 0);
    }

    [Fact]
    public void BulkVersion_IsBitIdenticalToTheScalarOne_ForEveryByte()
    {
        byte[] all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var bulk = new float[256];

        Normalization.Normalize(all, bulk);

        for (int p = 0; p < 256; p++)
            Assert.Equal(BitConverter.SingleToInt32Bits(Normalization.Normalize((byte)p)), BitConverter.SingleToInt32Bits(bulk[p]));
    }

    [Fact]
    public void BulkVersion_RejectsADestinationOfAnotherLength()
    {
        var e = Assert.Throws<ArgumentException>(() => Normalization.Normalize(new byte[4], new float[3]));
        Assert.Equal("destination", e.ParamName);
    }

    [Fact]
    public void Constants_AreTheMeanAndStdOfTheTrainingPixels()
    {
        // With the full set installed this re-measures the constants exactly; without it, the class-balanced
        // subset must still come close (its classes are in the same proportion as the full set's).
        var train = FullSet.Installed ? FullSet.Data.Train : FullSet.Subset.Train;
        double tolerance = FullSet.Installed ? 1e-7 : 0.02;

        var histogram = new long[256];
        foreach (byte p in train.Pixels) histogram[p]++;
        double n = train.Pixels.LongLength, sum = 0, sumSquares = 0;
        for (int p = 0; p < 256; p++)
        {
            sum += histogram[p] * (p / 255.0);
            sumSquares += histogram[p] * (p / 255.0) * (p / 255.0);
        }
        double mean = sum / n, std = Math.Sqrt(sumSquares / n - mean * mean); // population std

        Assert.InRange(mean, Normalization.Mean - tolerance, Normalization.Mean + tolerance);
        Assert.InRange(std, Normalization.Std - tolerance, Normalization.Std + tolerance);
    }
}
