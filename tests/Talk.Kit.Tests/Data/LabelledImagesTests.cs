using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

public class LabelledImagesTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    // Nine 2×2 images; image i's pixels are (i·31 + j) mod 256 for j = 0..3, so every image is recognisable.
    private static readonly byte[] Labels = [0, 1, 0, 2, 1, 0, 2, 2, 1];
    private static LabelledImages Nine() => new(IdxBytes.Pattern(9, 4), Labels.ToArray(), 2, 2, Classes, "nine");

    private static byte[] ImageOf(LabelledImages set, int i) => set.Image(i).ToArray();

    [Fact]
    public void Balanced_TakesTheFirstKOfEachClass_InFileOrder()
    {
        var all = Nine();

        var two = all.Balanced(2);

        // First two of class 0: images 0, 2; of class 1: 1, 4; of class 2: 3, 6. File order: 0 1 2 3 4 6.
        int[] expected = [0, 1, 2, 3, 4, 6];
        Assert.Equal(expected.Select(i => Labels[i]), two.Labels);
        for (int j = 0; j < expected.Length; j++)
            Assert.Equal(ImageOf(all, expected[j]), ImageOf(two, j));
        Assert.Equal([2, 2, 2], two.ClassCounts());
        Assert.Equal("nine; first 2 per class", two.Source);
    }

    [Fact]
    public void Balanced_AskingForMoreThanAClassHas_SaysWhichClassAndTheMaximum()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Nine().Balanced(4));
        Assert.StartsWith("class 0 (a) has only 3 images in nine; ask for at most 3 per class", e.Message);
    }

    [Fact]
    public void Slice_CopiesTheRange_AndTakeStopsAtTheEnd()
    {
        var all = Nine();

        var middle = all.Slice(2, 3);
        var many = all.Take(100);

        Assert.Equal(3, middle.Count);
        Assert.Equal(ImageOf(all, 2), ImageOf(middle, 0));
        Assert.Equal(ImageOf(all, 4), ImageOf(middle, 2));
        Assert.Equal([0, 2, 1], middle.Labels);
        Assert.Equal("nine; images 2–4", middle.Source);
        Assert.Equal(9, many.Count);
        Assert.NotSame(all.Pixels, many.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => all.Slice(7, 3));
    }

    [Fact]
    public void ToTensorData_IsNchwOfTheNormalizedPixels()
    {
        var all = Nine();

        float[] data = all.ToTensorData(1, 2);

        Assert.Equal([2, 1, 2, 2], all.TensorShape(2));
        Assert.Equal(2 * 1 * 2 * 2, data.Length);
        // Image 1 pixel 0 is 31; image 2 pixel 3 is 62 + 3 = 65 (row 1, col 1 of the second image).
        Assert.Equal(Normalization.Normalize(31), data[0]);
        Assert.Equal(Normalization.Normalize(65), data[7]);
        Assert.Throws<ArgumentOutOfRangeException>(() => all.ToTensorData(8, 2));
    }

    [Fact]
    public void Constructor_RejectsLabelsWithoutAClass_AndPixelsOfTheWrongLength()
    {
        Assert.Throws<ArgumentException>(() => new LabelledImages(new byte[8], [0, 3], 2, 2, Classes, "bad label"));
        Assert.Throws<ArgumentException>(() => new LabelledImages(new byte[7], [0, 1], 2, 2, Classes, "short"));
    }
}
