using Talk.Kit.Compression.Budget;
using Talk.Kit.Compression.Pipeline;

namespace Talk.Kit.Tests.Compression.Pipeline;

public class PipelineOptionsTests
{
    [Theory]
    [InlineData("prune,share,huffman", CompressionStages.All)]
    [InlineData("huffman, share", CompressionStages.Share | CompressionStages.Huffman)]
    [InlineData("prune", CompressionStages.Prune)]
    [InlineData("PRUNE,share", CompressionStages.Prune | CompressionStages.Share)]
    public void Pipeline_ParsesStagesInAnyOrder(string text, CompressionStages expected) =>
        Assert.Equal(expected, CompressionPipeline.Parse(text));

    [Theory]
    [InlineData("huffman", "huffman codes the cluster indices of shared weights, so it needs share")]
    [InlineData("prune,huffman", "so it needs share")]
    [InlineData("prune,quantize", "'quantize' is not a stage of Deep Compression")]
    [InlineData(" , ", "Name at least one stage")]
    public void Pipeline_RefusesWhatCannotRun(string text, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => CompressionPipeline.Parse(text)).Message);

    [Theory]
    [InlineData("10MB", 10_000_000)]
    [InlineData("27 KB", 27_000)]
    [InlineData("1.5GB", 1_500_000_000)]
    [InlineData("64MiB", 64L * 1024 * 1024)]
    [InlineData("512kib", 512 * 1024)]
    [InlineData("300B", 300)]
    public void ByteSize_ParsesDecimalAndBinaryUnits(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Theory]
    [InlineData("10")]
    [InlineData("MB")]
    [InlineData("-5MB")]
    [InlineData("0KB")]
    [InlineData("10 parsecs")]
    public void ByteSize_RefusesWhatIsNotASize(string text) =>
        Assert.Matches("(e.g. 10MB|is not a unit|out of range)", Assert.Throws<FormatException>(() => ByteSize.Parse(text)).Message);

    [Theory]
    [InlineData(999, "999 B")]
    [InlineData(26_466, "26.5 KB")]
    [InlineData(1_066_440, "1.07 MB")]
    [InlineData(44_690_000, "44.7 MB")]
    [InlineData(200_000_000, "200 MB")]
    public void ByteSize_FormatsDecimalWithThreeDigits(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));

    [Fact]
    public void AppSizeReferences_HoldTheTalksLimitAndTheLaterOnes()
    {
        var limits = AppSizeReferences.All.Where(r => r.IsLimit).Select(r => r.Bytes).ToList();
        Assert.Contains(100_000_000L, limits);
        Assert.Contains(200_000_000L, limits);
        Assert.Equal(100_000_000L, AppSizeReferences.TalkLimit.Bytes);
        Assert.All(AppSizeReferences.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
        Assert.Equal(AppSizeReferences.All.OrderBy(r => r.Bytes).Select(r => r.Label), AppSizeReferences.All.Select(r => r.Label));
    }
}
