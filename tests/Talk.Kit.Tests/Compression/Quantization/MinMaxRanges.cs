using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Calibration;
using Talk.Kit.Models;

namespace Talk.Kit.Tests.Compression.Quantization;

/// <summary>MinMax ranges of every float tensor from the kit's calibrator, and random batches to calibrate on.</summary>
internal static class MinMaxRanges
{
    public static ActivationRanges Compute(Model model, IEnumerable<(float[] Data, long[] Shape)> batches) =>
        Calibrator.Calibrate(model, batches, new CalibrationOptions(CalibrationMethod.MinMax, Samples: int.MaxValue, Threads: 1));

    /// <summary>Random batches, uniform in [−1, 1), fixed seed.</summary>
    public static IEnumerable<(float[] Data, long[] Shape)> Random(long[] shape, int batches = 4, int seed = 5)
    {
        var random = new Random(seed);
        long size = shape.Aggregate(1L, (a, b) => a * b);
        for (int b = 0; b < batches; b++)
            yield return (Enumerable.Range(0, (int)size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), shape);
    }
}
