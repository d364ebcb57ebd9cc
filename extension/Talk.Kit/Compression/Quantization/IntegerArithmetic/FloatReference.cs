namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// What a QDQ model computes in fp32: dequantize every input (x̂ = s(q − z)), run the float32 layer, quantize the
/// output (round half to even). Same mathematics as the integer path, but in floating point, with float rounding.
/// </summary>
public static class FloatReference
{
    public static int[] Conv(QuantizedConv layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        float[] x = layer.X.Select(layer.XParams.Dequantize).ToArray();
        int perFilter = layer.W.Length / layer.OutChannels;
        float[] w = layer.W.Select((q, i) => layer.WeightParams(i / perFilter).Dequantize(q)).ToArray();
        float[]? b = layer.Bias?.Select((q, f) => (float)(q * ((double)layer.XParams.Scale * layer.WeightParams(f).Scale))).ToArray();
        var (y, _) = FloatConv.Run(x, layer.XShape, w, layer.WShape, b, layer.Geometry);
        return y.Select(layer.YParams.Quantize).ToArray();
    }

    public static int[] MatMul(QuantizedMatMul layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        float[] a = layer.A.Select(layer.AParams.Dequantize).ToArray();
        float[] b = layer.B.Select((q, i) => layer.ColumnParams(i % layer.Columns).Dequantize(q)).ToArray();
        var y = new int[layer.Rows * layer.Columns];
        for (int i = 0; i < layer.Rows; i++)
            for (int j = 0; j < layer.Columns; j++)
            {
                float s = 0;
                for (int k = 0; k < layer.Inner; k++) s += a[i * layer.Inner + k] * b[k * layer.Columns + j];
                y[i * layer.Columns + j] = layer.YParams.Quantize(s);
            }
        return y;
    }
}
