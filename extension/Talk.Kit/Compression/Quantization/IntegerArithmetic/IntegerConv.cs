namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// A quantized convolution with integer arithmetic only (Jacob et al. 2018, §2.2–2.3): since x = s_x(q_x − z_x) and
/// w = s_w(q_w − z_w), the real output is y = s_x·s_w·Σ(q_x − z_x)(q_w − z_w) + b, so
/// q_y = z_y + (s_x·s_w/s_y)·acc with acc = Σ(q_x − z_x)(q_w − z_w) + q_b summed in int32, and the one real number
/// left, M = s_x·s_w/s_y, applied as a fixed-point multiplier.
/// </summary>
public static class IntegerConv
{
    public static IntegerLayerResult Run(QuantizedConv layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        QuantizedConv.Check(layer.XShape, layer.WShape);
        var g = layer.Geometry;
        int n = (int)layer.XShape[0], c = (int)layer.XShape[1], h = (int)layer.XShape[2], wd = (int)layer.XShape[3];
        int m = layer.OutChannels, kh = (int)layer.WShape[2], kw = (int)layer.WShape[3];
        var shape = layer.YShape;
        int oh = (int)shape[2], ow = (int)shape[3];
        int zx = layer.XParams.ZeroPoint;
        var multipliers = Enumerable.Range(0, layer.WParams.Count)
            .Select(f => Requantization.Multiplier(layer.XParams, layer.WParams[f], layer.YParams)).ToArray();

        var acc = new int[n * m * oh * ow];
        var output = new int[acc.Length];
        for (int b = 0; b < n; b++)
            for (int f = 0; f < m; f++)
            {
                int zw = layer.WeightParams(f).ZeroPoint;
                var multiplier = multipliers[layer.WParams.Count == 1 ? 0 : f];
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int sum = layer.Bias?[f] ?? 0; // q_b: already at scale s_x·s_w, zero point 0
                        for (int ch = 0; ch < c; ch++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * g.Stride - g.Pad + ky * g.Dilation;
                                if (iy < 0 || iy >= h) continue; // padding holds real 0 = code z_x, so (q_x − z_x) = 0
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * g.Stride - g.Pad + kx * g.Dilation;
                                    if (ix < 0 || ix >= wd) continue;
                                    int qx = layer.X[((b * c + ch) * h + iy) * wd + ix];
                                    int qw = layer.W[((f * c + ch) * kh + ky) * kw + kx];
                                    sum += (qx - zx) * (qw - zw); // 8-bit × 8-bit products, int32 sum
                                }
                            }
                        int o = ((b * m + f) * oh + oy) * ow + ox;
                        acc[o] = sum;
                        output[o] = Requantization.Requantize(sum, multiplier, layer.YParams);
                    }
            }
        return new IntegerLayerResult(acc, shape, multipliers, output, layer.YParams);
    }
}
