namespace Talk.Kit.Runtime.Numerics;

/// <summary>Forward result and both gradients of one convolution.</summary>
/// <param name="Output">y [N, C_out, H_out, W_out].</param>
/// <param name="WeightGradient">∂L/∂W for L = Σ y·g, shaped like the weights.</param>
/// <param name="InputGradient">∂L/∂x for the same L, shaped like the input.</param>
public sealed record ConvOutputs(float[] Output, float[] WeightGradient, float[] InputGradient);

/// <summary>
/// The reference: a convolution and its two gradients in float64, by the definition, one multiply-add at a time.
/// It shares no code with any library it judges (no im2col, no blocking, no SIMD), so a bug there cannot hide here.
/// </summary>
public static class ConvReference
{
    /// <summary>
    /// y[n,o,i,j] = Σ_{c,a,b} x[n, g·C_in/G + c, i·s − p + a, j·s − p + b] · W[o,c,a,b] (g = the group of filter o);
    /// with L = Σ y·g: ∂L/∂W[o,c,a,b] = Σ_{n,i,j} g[n,o,i,j]·x[…] and ∂L/∂x[…] = Σ g[n,o,i,j]·W[o,c,a,b] over the same terms.
    /// </summary>
    public static (double[] Output, double[] WeightGradient, double[] InputGradient) Run(ConvCase c, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.Validate();
        if (input.Length != c.InputLength || weight.Length != c.WeightLength || outputGradient.Length != c.OutputLength)
            throw new ArgumentException($"Conv case {c.Label}: expected {c.InputLength} inputs, {c.WeightLength} weights and {c.OutputLength} output gradients.");
        var y = new double[c.OutputLength];
        var dw = new double[c.WeightLength];
        var dx = new double[c.InputLength];
        int k = c.Kernel, h = c.Height, w = c.Width, oh = c.OutHeight, ow = c.OutWidth, cg = c.GroupInChannels;
        for (int n = 0; n < c.Batch; n++)
        for (int o = 0; o < c.OutChannels; o++)
        {
            int firstChannel = o / c.GroupOutChannels * cg;
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int outIndex = ((n * c.OutChannels + o) * oh + i) * ow + j;
                double g = outputGradient[outIndex], sum = 0;
                for (int ci = 0; ci < cg; ci++)
                for (int a = 0; a < k; a++)
                {
                    int row = i * c.Stride - c.Padding + a;
                    if (row < 0 || row >= h) continue;
                    for (int b = 0; b < k; b++)
                    {
                        int col = j * c.Stride - c.Padding + b;
                        if (col < 0 || col >= w) continue;
                        int inIndex = ((n * c.InChannels + firstChannel + ci) * h + row) * w + col;
                        int wIndex = ((o * cg + ci) * k + a) * k + b;
                        sum += (double)input[inIndex] * weight[wIndex];
                        dw[wIndex] += g * input[inIndex];
                        dx[inIndex] += g * weight[wIndex];
                    }
                }
                y[outIndex] = sum;
            }
        }
        return (y, dw, dx);
    }

    /// <summary>
    /// max |a − ref| / max |ref|: the error relative to the tensor's scale (the element-wise relative error blows up near
    /// zero). NaN when <paramref name="actual"/> holds a NaN or the lengths differ; the plain max |Δ| when ref is all zero.
    /// </summary>
    public static double MaxDiffOverScale(ReadOnlySpan<float> actual, ReadOnlySpan<double> reference)
    {
        if (actual.Length != reference.Length) return double.NaN;
        double diff = 0, scale = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs(actual[i] - reference[i]);
            if (double.IsNaN(d)) return double.NaN;
            diff = Math.Max(diff, d);
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        return scale > 0 ? diff / scale : diff;
    }
}
