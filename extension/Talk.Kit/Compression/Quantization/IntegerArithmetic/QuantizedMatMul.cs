namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// One quantized matrix product, as QLinearMatMul sees it: A [M, K] codes (uint8 or int8) with (s_a, z_a), B [K, N]
/// int8 codes per tensor (or per column) with (s_b, z_b), and the output's (s_y, z_y). QLinearMatMul has no bias.
/// </summary>
/// <param name="BParams">One entry (per tensor) or N entries (per column).</param>
public sealed record QuantizedMatMul(int[] A, int Rows, int Inner, QuantParams AParams, int[] B, int Columns, IReadOnlyList<QuantParams> BParams,
    QuantParams YParams)
{
    /// <summary>Parameters of column n of B.</summary>
    public QuantParams ColumnParams(int n) => BParams.Count == 1 ? BParams[0] : BParams[n];

    /// <summary>Quantizes a float product: A asymmetric, B symmetric per tensor (int8, or <paramref name="weights"/>), Y asymmetric over the float result's range.</summary>
    public static QuantizedMatMul FromFloat(float[] a, int rows, int inner, float[] b, int columns, QuantType activations, QuantType? weights = null)
    {
        if (a.Length != rows * inner || b.Length != inner * columns)
            throw new ArgumentException($"A must hold {rows}×{inner} and B {inner}×{columns} values; they hold {a.Length} and {b.Length}.");
        var aParams = QuantParams.ForRange(TensorRange.Of(a), activations, symmetric: false);
        var bParams = QuantParams.ForRange(TensorRange.Of(b), weights ?? QuantType.Int8, symmetric: true);
        var y = new float[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                float s = 0;
                for (int k = 0; k < inner; k++) s += a[i * inner + k] * b[k * columns + j];
                y[i * columns + j] = s;
            }
        var yParams = QuantParams.ForRange(TensorRange.Of(y), activations, symmetric: false);
        return new QuantizedMatMul(a.Select(aParams.Quantize).ToArray(), rows, inner, aParams, b.Select(bParams.Quantize).ToArray(), columns, [bParams], yParams);
    }
}
