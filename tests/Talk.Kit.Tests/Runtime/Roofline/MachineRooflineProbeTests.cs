using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Roofline;

namespace Talk.Kit.Tests.Runtime.Roofline;

public class MachineRooflineProbeTests
{
    [Fact]
    public void TinyMeasurement_GivesPositiveRoofsAndStatesItsMethods()
    {
        // Tiny sizes keep this under a second; they say nothing about the real peaks, so only sanity is asserted, never speed.
        var roof = MachineRooflineProbe.Measure(new MachineRooflineOptions(MatMulSizes: [32, 64], Runs: 3, Threads: 1, BandwidthBufferBytes: 1 << 20));

        Assert.InRange(roof.Fp32Gflops.Value, 0.01, 100_000);
        Assert.InRange(roof.Int8Gops.Value, 0.01, 100_000);
        Assert.InRange(roof.OrtBandwidth.Value, 0.01, 10_000);
        Assert.InRange(roof.ManagedCopyBandwidth.Value, 0.01, 10_000);
        Assert.Equal(roof.OrtBandwidth.Value, roof.BandwidthGBps);
        Assert.True(roof.RidgePoint("Conv") > 0);
        Assert.Equal(1, roof.Threads);
        Assert.Equal(MachineRooflineCache.KeyOf(MachineInfo.Current, Ort.Version), roof.CacheKey);
        Assert.Contains("Y = X + 1", roof.OrtBandwidth.Method);
        Assert.Contains("fastest-decile (p10) latency", roof.Fp32Gflops.Method);
    }

    [Fact]
    public void BadOptions_AreClearErrors()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MachineRooflineProbe.Measure(new MachineRooflineOptions(BandwidthBufferBytes: 10)));
        Assert.Contains("between 4 KiB and 4 GiB", error.Message);
    }
}
