using Talk.Kit.Runtime.Roofline;

namespace Talk.Kit.Tests.Runtime.Roofline;

/// <summary>Synthetic rooflines with round numbers, so ridge points and attainable rates are exact by hand.</summary>
internal static class Roofs
{
    /// <summary>fp32 peak 100 GFLOP/s, int8 peak 400 GOP/s, bandwidth 25 GB/s → ridge points 4 and 16 FLOP/B.</summary>
    public static MachineRoofline Synthetic(string key = "0123456789abcdef") => new(
        key, "Test CPU", 2, 2000, ["AVX2", "FMA3"], "1.0.0", 2,
        Fp32Gflops: new Measurement(100, "GFLOP/s", 0.05, "synthetic"),
        Int8Gops: new Measurement(400, "GOP/s", 0.05, "synthetic"),
        OrtBandwidth: new Measurement(25, "GB/s", 0.1, "synthetic"),
        ManagedCopyBandwidth: new Measurement(30, "GB/s", 0.1, "synthetic"),
        EstimatedFp32Gflops: new Estimate(128, "GFLOP/s", "2 cores × 2000 MHz × 32"),
        EstimatedInt8Gops: new Estimate(256, "GOP/s", "2× fp32"),
        EstimatedBandwidth: new Estimate(null, "GB/s", "unknown"),
        MeasuredAtUtc: new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc));
}
