namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Quantization cannot go on as asked (nothing quantizable, a missing range, no calibration samples, a tensor that does
/// not exist, inputs of the wrong shape…). The message says what is wrong and what to do instead.
/// </summary>
public sealed class QuantizationException(string message) : Exception(message);
