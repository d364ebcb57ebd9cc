namespace Talk.Kit.Compression.Quantization;

/// <summary>How <see cref="DynamicQuantizer"/> quantizes Gemm/MatMul: int8 weights ahead of time, uint8 activations at run time.</summary>
public sealed record DynamicQuantizationOptions
{
    /// <summary>One weight scale per output column N (else one per matrix).</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>Weight bits, 2–8, symmetric codes stored in int8 (7 avoids U8S8 saturation on CPUs without VNNI).</summary>
    public int WeightBits { get; init; } = 8;

    /// <summary>Node names left in fp32.</summary>
    public IReadOnlySet<string> KeepFp32 { get; init; } = new HashSet<string>();

    public QuantType WeightType => QuantType.SignedBits(WeightBits);

    public void Validate()
    {
        if (WeightBits is < 2 or > 8)
            throw new ArgumentOutOfRangeException(nameof(WeightBits), WeightBits, "Weight bits must be 2–8 (codes are stored in int8), e.g. 8.");
        ArgumentNullException.ThrowIfNull(KeepFp32);
    }
}
