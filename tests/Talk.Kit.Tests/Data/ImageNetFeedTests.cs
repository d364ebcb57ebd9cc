using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

public class ImageNetFeedTests
{
    [Fact]
    public void ConstantImage_StaysConstant_InAllThreeChannels()
    {
        var pixels = Enumerable.Repeat((byte)200, 28 * 28).ToArray();
        var rgb = new float[3 * 224 * 224];
        ImageNetFeed.FromGray(pixels, 28, 28, rgb);
        Assert.All(rgb, v => Assert.Equal(200f, v));
    }

    [Fact]
    public void Upscaling_IsBilinear_WithAlignedPixelCentres()
    {
        // A 1×2 image [0, 100] upscaled to 4 wide: centres map to source x = −0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1.
        var rgb = new float[3 * 4 * 4];
        ImageNetFeed.FromGray([0, 100], rows: 1, cols: 2, rgb, size: 4);
        Assert.Equal([0f, 25f, 75f, 100f], rgb[..4]);
        Assert.Equal(rgb[..16], rgb[16..32]); // G = R
        Assert.Equal(rgb[..16], rgb[32..]);   // B = R
    }

    [Fact]
    public void WrongSizes_AreClearErrors()
    {
        Assert.Contains("Expected 28×28 = 784 pixels, got 10", Assert.Throws<ArgumentException>(() => ImageNetFeed.FromGray(new byte[10], 28, 28, new float[3 * 224 * 224])).Message);
        Assert.Contains("Destination must hold", Assert.Throws<ArgumentException>(() => ImageNetFeed.FromGray(new byte[784], 28, 28, new float[5])).Message);
    }
}
