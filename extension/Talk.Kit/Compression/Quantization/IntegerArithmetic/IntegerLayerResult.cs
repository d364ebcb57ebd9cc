namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// A quantized layer computed with integers only: the int32 accumulators, the fixed-point multiplier(s) that
/// requantize them, and the output codes.
/// </summary>
/// <param name="Accumulators">acc = Σ (q_x − z_x)(q_w − z_w) + q_b per output element, in the output's layout.</param>
/// <param name="Shape">Output shape (NCHW for a convolution, [M, N] for a product).</param>
/// <param name="Multipliers">One per output channel (or column), or a single one per tensor: M = s_x·s_w/s_y as 2^−n·M0.</param>
/// <param name="Output">q_y = clamp(z_y + round(M·acc), QMin, QMax), in the output type's codes.</param>
/// <param name="OutputParams">s_y, z_y and the output type.</param>
public sealed record IntegerLayerResult(int[] Accumulators, long[] Shape, IReadOnlyList<FixedPointMultiplier> Multipliers, int[] Output,
    QuantParams OutputParams)
{
    /// <summary>Smallest accumulator: with |acc| far below 2^31, int32 accumulation cannot overflow.</summary>
    public int AccumulatorMin => Accumulators.Length == 0 ? 0 : Accumulators.Min();

    public int AccumulatorMax => Accumulators.Length == 0 ? 0 : Accumulators.Max();

    /// <summary>Bits an accumulator needed, sign included: ⌈log2(max|acc| + 1)⌉ + 1.</summary>
    public int AccumulatorBits => (int)Math.Ceiling(Math.Log2(Math.Max(Math.Abs((long)AccumulatorMin), Math.Abs((long)AccumulatorMax)) + 1.0)) + 1;

    /// <summary>Output codes that hit QMin or QMax (saturated).</summary>
    public int Saturated => Output.Count(q => q == OutputParams.Type.QMin || q == OutputParams.Type.QMax);

    public override string ToString() =>
        $"int32 accumulators in [{AccumulatorMin}, {AccumulatorMax}] ({AccumulatorBits} bits), " +
        (Multipliers.Count == 1 ? Multipliers[0].ToString() : $"{Multipliers.Count} multipliers (per channel)") +
        $", {Output.Length} {OutputParams.Type} codes";
}
