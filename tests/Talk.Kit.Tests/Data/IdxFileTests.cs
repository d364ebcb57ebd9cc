using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

public class IdxFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("talkkit-idx-").FullName;

    private const string CorruptGzip = "corrupt gzip data: the decompressor rejected it (damaged deflate data or a wrong CRC-32)";

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Reads the file, expecting the kit's one exception with exactly this problem and the standard fix.</summary>
    private static DatasetFormatException AssertProblem(string path, int dims, string problem)
    {
        var e = Assert.Throws<DatasetFormatException>(() => IdxFile.Read(path, dims));
        Assert.Equal(path, e.Location);
        Assert.Equal(problem, e.Problem);
        Assert.StartsWith($"{path}: {problem}. ", e.Message);
        return e;
    }

    [Fact]
    public void GzipAndRaw_ReadToIdenticalArrays_DetectedByMagicNotByName()
    {
        byte[] pixels = IdxBytes.Pattern(3, 6);
        byte[] raw = IdxBytes.Images(3, 2, 3, pixels);
        // Names lie on purpose: the raw file ends in .gz, the gzip file has no extension.
        string rawPath = WriteFile("raw.gz", raw);
        string gzPath = WriteFile("compressed", IdxBytes.Gzip(raw));

        var (rawHeader, rawData) = IdxFile.Read(rawPath, IdxFile.ImageDimensions);
        var (gzHeader, gzData) = IdxFile.Read(gzPath, IdxFile.ImageDimensions);

        Assert.False(rawHeader.Gzip);
        Assert.True(gzHeader.Gzip);
        Assert.Equal([3, 2, 3], rawHeader.Dimensions);
        Assert.Equal(rawHeader.Dimensions, gzHeader.Dimensions);
        Assert.Equal(IdxFile.UnsignedByte, gzHeader.ElementType);
        Assert.Equal(16, gzHeader.HeaderBytes);
        Assert.Equal(pixels, rawData);
        Assert.Equal(rawData, gzData);
    }

    [Fact]
    public void ReadHeader_DoesNotNeedTheData_ButReadDoes()
    {
        string path = WriteFile("headers-only", IdxBytes.Idx(0x08, [60_000, 28, 28], []));

        var header = IdxFile.ReadHeader(path, IdxFile.ImageDimensions);

        Assert.Equal(60_000, header.Count);
        Assert.Equal(47_040_000L, header.DataBytes);
        AssertProblem(path, 3, "truncated: the header declares 60,000 × 28 × 28 = 47,040,000 data bytes, found 0");
    }

    [Fact]
    public void WrongMagic_SaysItIsNotIdx_AndShowsTheFirstBytes()
    {
        string path = WriteFile("archive.zip", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]);
        var e = AssertProblem(path, 3,
            "not an IDX file: it starts with 50 4B 03 04, an IDX file starts with 00 00 (then the element type and the number of dimensions)");
        Assert.Equal($"{path}: {e.Problem}. {IdxFile.Fix}", e.Message);
    }

    [Fact]
    public void WrongTypeByte_NamesTheTypeFound()
    {
        string path = WriteFile("floats", IdxBytes.Idx(0x0D, [1, 1, 1], [0, 0, 0, 0]));
        AssertProblem(path, 3, "element type is 0x0D (32-bit float), expected 0x08 (unsigned byte)");
    }

    [Fact]
    public void LabelsFileReadAsImages_SaysWhichDimensionsItExpected()
    {
        string path = WriteFile("labels", IdxBytes.Labels([1, 2, 3]));
        AssertProblem(path, 3, "has 1 dimension, expected 3 for images (count, rows, columns); is this a labels file?");
    }

    [Fact]
    public void ImagesFileReadAsLabels_SaysWhichDimensionsItExpected()
    {
        string path = WriteFile("images", IdxBytes.Images(1, 1, 1, [7]));
        AssertProblem(path, 1, "has 3 dimensions, expected 1 for labels (count); is this an images file?");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedData_SaysBytesExpectedAndFound(bool gzip)
    {
        byte[] raw = IdxBytes.Images(2, 28, 28, new byte[1000]); // header says 1,568
        string path = WriteFile("short", gzip ? IdxBytes.Gzip(raw) : raw);
        AssertProblem(path, 3, "truncated: the header declares 2 × 28 × 28 = 1,568 data bytes, found 1,000" + (gzip ? " after decompression" : ""));
    }

    [Fact]
    public void TruncatedHeader_SaysHeaderBytesNeededAndFound()
    {
        string path = WriteFile("cut", [0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00]);
        AssertProblem(path, 3, "truncated header: 3 dimensions need 16 header bytes, found 9");
    }

    [Fact]
    public void FileShorterThanTheMagic_IsATruncatedHeader()
    {
        string path = WriteFile("tiny", [0x00, 0x00]);
        AssertProblem(path, 1, "truncated header: an IDX file starts with 4 magic bytes, found 2");
    }

    [Fact]
    public void ExtraBytesAfterTheData_AreAnError()
    {
        byte[] raw = [.. IdxBytes.Labels([1, 2, 3]), 9, 9];
        string path = WriteFile("long", raw);
        AssertProblem(path, 1, "longer than its header declares: 3 = 3 data bytes expected, 2 more found");
    }

    [Fact]
    public void CorruptGzip_IsReportedAsCorruptGzip_WithTheDecoderErrorInside()
    {
        byte[] gz = IdxBytes.Gzip(IdxBytes.Labels(Enumerable.Range(0, 200).Select(i => (byte)(i % 10)).ToArray()));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] = 0xFF; // keep the gzip header, destroy the deflate stream
        string path = WriteFile("corrupt.gz", gz);

        var e = Assert.Throws<DatasetFormatException>(() => IdxFile.Read(path, 1));

        Assert.IsType<InvalidDataException>(e.InnerException);
        Assert.Equal(CorruptGzip, e.Problem);
        Assert.Equal($"{path}: {CorruptGzip}. Check it with `gzip -t corrupt.gz`. {IdxFile.Fix}", e.Message);
    }

    [Fact]
    public void GzipCutShort_IsTruncatedData_BecauseTheDecoderJustStops()
    {
        // .NET's GZipStream reports a gzip stream that ends early as a plain end of data, not as an error.
        byte[] gz = IdxBytes.Gzip(IdxBytes.Images(4, 28, 28, IdxBytes.Pattern(4, 784)));
        string path = WriteFile("cut.gz", gz[..(gz.Length / 2)]);
        var e = Assert.Throws<DatasetFormatException>(() => IdxFile.Read(path, 3));
        Assert.Matches(@"^truncated: the header declares 4 × 28 × 28 = 3,136 data bytes, found [0-9,]+ after decompression$", e.Problem);
    }

    [Fact]
    public void GzipWithBadCrc_IsCorruptGzip()
    {
        byte[] gz = IdxBytes.Gzip(IdxBytes.Labels([1, 2, 3]));
        gz[^8] ^= 0xFF; // first byte of the CRC-32 in the 8-byte trailer (RFC 1952)
        string path = WriteFile("crc.gz", gz);
        var e = Assert.Throws<DatasetFormatException>(() => IdxFile.Read(path, 1));
        Assert.Equal(CorruptGzip, e.Problem);
    }

    [Fact]
    public void MissingFile_IsTheSameExceptionType()
    {
        string path = Path.Combine(dir, "nowhere");
        var e = Assert.Throws<DatasetFormatException>(() => IdxFile.Read(path, 1));
        Assert.Equal("file not found", e.Problem);
        Assert.StartsWith($"{path}: file not found. ", e.Message);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
