using Talk.Kit.Compression.Coding;

namespace Talk.Kit.Tests.Compression.Coding;

public class BitIoTests
{
    [Fact]
    public void Writer_PutsTheFirstBitInTheTopOfByteZero_AndPadsWithZeros()
    {
        var w = new BitWriter();
        w.Write(1, 1);      // 1
        w.Write(0b01, 2);   // 01
        w.Write(0x1F, 5);   // 11111  → byte 0 = 1011_1111
        w.Write(0b101, 3);  // 101    → byte 1 = 1010_0000 (padded)

        Assert.Equal(11, w.BitCount);
        Assert.Equal(new byte[] { 0xBF, 0xA0 }, w.ToArray());
    }

    [Fact]
    public void Fields_OfEveryWidth_RoundTrip()
    {
        var random = new Random(1);
        var fields = Enumerable.Range(0, 2000).Select(_ =>
        {
            int width = random.Next(0, 33);
            uint value = width == 0 ? 0 : (uint)(random.NextInt64(0, 1L << width));
            return (value, width);
        }).ToArray();
        var w = new BitWriter();
        foreach (var (value, width) in fields) w.Write(value, width);

        var r = new BitReader(w.ToArray());
        foreach (var (value, width) in fields)
            Assert.Equal(value, r.Read(width));
        r.RequireOnlyPadding();
    }

    [Fact]
    public void Writer_RefusesAValueWiderThanItsField() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitWriter().Write(4, 2));

    [Fact]
    public void Reader_PastTheEnd_ThrowsInvalidData()
    {
        var r = new BitReader(new byte[] { 0xFF });
        r.Read(6);
        var e = Assert.Throws<InvalidDataException>(() => r.Read(3));
        Assert.Contains("ends after 1 bytes", e.Message);
    }

    [Fact]
    public void RequireOnlyPadding_RejectsNonZeroPadding_AndUnusedBytes()
    {
        var r = new BitReader(new byte[] { 0b1000_0001 });
        r.Read(1);
        Assert.Throws<InvalidDataException>(r.RequireOnlyPadding);

        var extra = new BitReader(new byte[] { 0, 0 });
        extra.Read(3);
        Assert.Throws<InvalidDataException>(extra.RequireOnlyPadding);
    }
}
