namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// The contract between whatever finds activation ranges (calibration on real samples, or QAT's tracked ranges)
/// and the quantizer that places Q/DQ pairs: ONNX tensor name → real range, plus how the ranges were found.
/// </summary>
public sealed record ActivationRanges(IReadOnlyDictionary<string, TensorRange> Ranges, string Method, int Samples)
{
    public IReadOnlyDictionary<string, TensorRange> Ranges { get; init; } = new Dictionary<string, TensorRange>(Ranges);

    public bool TryGet(string tensor, out TensorRange range) => Ranges.TryGetValue(tensor, out range);

    public TensorRange this[string tensor] => Ranges.TryGetValue(tensor, out var r) ? r
        : throw new KeyNotFoundException($"No activation range for tensor '{tensor}'. Calibrate the model (or give ranges) for every tensor the quantizer reads.");
}
