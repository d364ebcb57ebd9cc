using Talk.Kit.Runtime.Roofline;

namespace Talk.Kit.Tests.Runtime.Roofline;

public class MachineRooflineTests
{
    private readonly MachineRoofline roof = Roofs.Synthetic(); // 100 GFLOP/s fp32, 400 GOP/s int8, 25 GB/s

    [Fact]
    public void RidgePoint_IsPeakOverBandwidth_PerPrecision()
    {
        Assert.Equal(4.0, roof.RidgePoint("Conv"));        // 100 / 25
        Assert.Equal(16.0, roof.RidgePoint("QLinearConv")); // 400 / 25
        Assert.Equal(16.0, roof.RidgePoint("com.microsoft:QGemm"));
    }

    [Theory]
    [InlineData(1.0, 25.0, RooflineBound.MemoryBound)]    // 1 FLOP/B × 25 GB/s
    [InlineData(3.999, 99.975, RooflineBound.MemoryBound)]
    [InlineData(4.0, 100.0, RooflineBound.ComputeBound)] // exactly at the ridge: both roofs meet, counted compute-bound
    [InlineData(50.0, 100.0, RooflineBound.ComputeBound)]
    public void Fp32Ops_AttainMinOfPeakAndIntensityTimesBandwidth(double intensity, double attainable, RooflineBound bound)
    {
        Assert.Equal(attainable, roof.AttainableGflops(intensity, "Conv"), 9);
        Assert.Equal(bound, roof.BoundAt(intensity, "Conv"));
    }

    [Fact]
    public void IntegerOps_UseTheInt8Roof()
    {
        Assert.True(MachineRoofline.IsIntegerOp("MatMulInteger"));
        Assert.True(MachineRoofline.IsIntegerOp("ConvInteger"));
        Assert.False(MachineRoofline.IsIntegerOp("com.microsoft:FusedConv"));
        Assert.Equal(RooflineBound.MemoryBound, roof.BoundAt(8, "QLinearConv")); // below 16, though above fp32's 4
        Assert.Equal(200, roof.AttainableGflops(8, "QLinearConv"));
        Assert.Equal(400, roof.AttainableGflops(100, "QLinearConv"));
    }
}
