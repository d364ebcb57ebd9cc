namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>A plain float32 2-D convolution (NCHW, one group), the reference the quantized layers are compared with.</summary>
internal static class FloatConv
{
    /// <summary>y[n,m,oy,ox] = b[m] + Σ_c,ky,kx x[n,c,oy·s−p+ky·d, ox·s−p+kx·d]·w[m,c,ky,kx] (zero outside the image).</summary>
    public static (float[] Y, long[] Shape) Run(float[] x, long[] xShape, float[] w, long[] wShape, float[]? bias, ConvGeometry g)
    {
        QuantizedConv.Check(xShape, wShape);
        int n = (int)xShape[0], c = (int)xShape[1], h = (int)xShape[2], wd = (int)xShape[3];
        int m = (int)wShape[0], kh = (int)wShape[2], kw = (int)wShape[3];
        int oh = g.OutputSize(h, kh), ow = g.OutputSize(wd, kw);
        var y = new float[n * m * oh * ow];
        for (int b = 0; b < n; b++)
            for (int f = 0; f < m; f++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float sum = bias?[f] ?? 0f;
                        for (int ch = 0; ch < c; ch++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * g.Stride - g.Pad + ky * g.Dilation;
                                if (iy < 0 || iy >= h) continue; // zero padding
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * g.Stride - g.Pad + kx * g.Dilation;
                                    if (ix < 0 || ix >= wd) continue;
                                    sum += x[((b * c + ch) * h + iy) * wd + ix] * w[((f * c + ch) * kh + ky) * kw + kx];
                                }
                            }
                        y[((b * m + f) * oh + oy) * ow + ox] = sum;
                    }
        return (y, [n, m, oh, ow]);
    }
}
