using Talk.Kit.Models;

namespace Talk.Kit.Compression.Quantization;

/// <summary>An integer grid: its ONNX storage type and the range of codes used (a 4-bit grid is stored in int8, codes −8…7).</summary>
public sealed record QuantType(string Name, OnnxElementType Storage, int QMin, int QMax)
{
    /// <summary>Signed 8-bit, full range −128…127 (ONNX Runtime's int8 kernels).</summary>
    public static QuantType Int8 { get; } = new("int8", OnnxElementType.Int8, sbyte.MinValue, sbyte.MaxValue);

    /// <summary>Unsigned 8-bit, 0…255: the usual activation type (a ReLU output uses every code).</summary>
    public static QuantType UInt8 { get; } = new("uint8", OnnxElementType.UInt8, byte.MinValue, byte.MaxValue);

    /// <summary>Signed n-bit codes (2 ≤ n ≤ 8) stored in int8: −2^(n−1)…2^(n−1)−1. Runs in int8 kernels; only the grid is coarser.</summary>
    public static QuantType SignedBits(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 8);
        return bits == 8 ? Int8 : new($"int{bits}", OnnxElementType.Int8, -(1 << (bits - 1)), (1 << (bits - 1)) - 1);
    }

    public bool IsSigned => QMin < 0;

    /// <summary>Number of bits the grid really needs: log2(QMax − QMin + 1).</summary>
    public int Bits => (int)Math.Round(Math.Log2(QMax - QMin + 1));

    public override string ToString() => Name;
}
