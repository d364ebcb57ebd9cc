namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// A quantized matrix product with integer arithmetic only: acc[i,j] = Σ_k (q_a[i,k] − z_a)(q_b[k,j] − z_b) in int32,
/// then q_y = clamp(z_y + M·acc) with M = s_a·s_b/s_y as a fixed-point multiplier (Jacob et al. 2018, eq. 4–7).
/// </summary>
public static class IntegerMatMul
{
    public static IntegerLayerResult Run(QuantizedMatMul layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        int rows = layer.Rows, inner = layer.Inner, columns = layer.Columns;
        int za = layer.AParams.ZeroPoint;
        var multipliers = layer.BParams.Select(p => Requantization.Multiplier(layer.AParams, p, layer.YParams)).ToArray();
        var acc = new int[rows * columns];
        var output = new int[acc.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                int zb = layer.ColumnParams(j).ZeroPoint;
                int sum = 0;
                for (int k = 0; k < inner; k++)
                    sum += (layer.A[i * inner + k] - za) * (layer.B[k * columns + j] - zb);
                acc[i * columns + j] = sum;
                output[i * columns + j] = Requantization.Requantize(sum, multipliers[layer.BParams.Count == 1 ? 0 : j], layer.YParams);
            }
        return new IntegerLayerResult(acc, [rows, columns], multipliers, output, layer.YParams);
    }
}
