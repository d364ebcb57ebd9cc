namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>How a tensor's observed values become the range its grid covers.</summary>
public enum CalibrationMethod
{
    /// <summary>[min, max] of every value seen: nothing is clipped, so one outlier stretches the grid for all values.</summary>
    MinMax,

    /// <summary>Clip at the p-th percentile of |x| (ONNX Runtime's symmetric percentile calibration): the rarest values saturate.</summary>
    Percentile,

    /// <summary>
    /// Clip where the int8 distribution loses least information: the threshold minimizing KL(P‖Q) over a
    /// histogram of |x| (Migacz, "8-bit Inference with TensorRT", GTC 2017).
    /// </summary>
    Entropy,
}
