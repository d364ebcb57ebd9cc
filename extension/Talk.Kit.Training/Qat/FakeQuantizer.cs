using Talk.Kit.Compression.Quantization;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// Fake quantization (quantize, then dequantize, in float) with a straight-through estimator (Bengio et al. 2013;
/// Jacob et al. 2018, §3): the forward pass sees the grid values that int8 kernels will compute with, the backward
/// pass lets the gradient through as if rounding were the identity. TorchSharp has no <c>fake_quantize_*</c>, so the
/// STE is written as <c>x + (q(x) − x).detach()</c>: its value is q(x), its gradient is that of x.
/// </summary>
/// <remarks>
/// The arithmetic is <see cref="QuantParams"/>'s, in float64 like <see cref="QuantParams.Quantize"/>:
/// q = clamp(round_half_even(x / s) + zp, QMin, QMax), x̂ = (q − zp)·s, with torch.round (half to even, as
/// ONNX QuantizeLinear). Scales are float32, as they are stored in the ONNX graph.
/// </remarks>
public static class FakeQuantizer
{
    /// <summary>
    /// Weights fake-quantized on the static quantizer's grid: symmetric, zero point 0, per output channel (axis 0)
    /// scale_c = absmax_c / QMax (or one scale over the whole tensor when <paramref name="perChannel"/> is false);
    /// an all-zero channel gets scale 1, as <see cref="QuantParams.ForRange"/> gives it.
    /// </summary>
    /// <remarks>
    /// Since |w / scale| ≤ QMax, the clamp never clips: the STE's gradient is 1 for every weight. The scale is
    /// detached (no gradient flows through absmax), as in PyTorch's FakeQuantize.
    /// Shapes: Conv [out, in/groups, kH, kW] or Linear [out, in]; scales [out] (or [1]).
    /// </remarks>
    /// <param name="weights">The float weights (a parameter: its gradient is kept).</param>
    /// <param name="type">The grid, e.g. <c>QuantType.SignedBits(4)</c> (codes −8…7, of which −7…7 are used).</param>
    /// <param name="perChannel">One scale per output channel (true) or one per tensor.</param>
    public static Tensor Weights(Tensor weights, QuantType type, bool perChannel = true)
    {
        ArgumentNullException.ThrowIfNull(weights);
        RequireSigned(type);
        var scale = WeightScales(weights, type, perChannel);                  // [out] or [1], float32
        long[] broadcast = [scale.shape[0], .. Enumerable.Repeat(1L, (int)weights.dim() - 1)];
        var s = scale.reshape(broadcast);                                      // [out,1,1,1] for a conv
        var codes = (weights.detach().to_type(ScalarType.Float64) / s.to_type(ScalarType.Float64)).round().clamp(type.QMin, type.QMax);
        var grid = codes.to_type(ScalarType.Float32) * s;                     // (q − 0)·s in float32, as DequantizeLinear
        return weights + (grid - weights).detach();
    }

    /// <summary>The symmetric weight scales absmax / QMax in float32 (1 where absmax is 0): [out] per channel, [1] per tensor.</summary>
    public static Tensor WeightScales(Tensor weights, QuantType type, bool perChannel = true)
    {
        RequireSigned(type);
        using var scope = NewDisposeScope();
        var w = weights.detach().to_type(ScalarType.Float32);
        var absMax = perChannel ? w.flatten(1).abs().amax([1]) : w.abs().max().reshape(1);
        var scale = absMax / (float)type.QMax;                                 // float32 ÷ float32, as QuantParams.ForRange
        return scale.where(scale > 0, 1f).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Activations fake-quantized with <paramref name="parameters"/> (asymmetric uint8 from a tracked range, in QAT).
    /// The STE is clipped: the gradient is 1 where x lies inside the representable range [(QMin − zp)·s, (QMax − zp)·s]
    /// and 0 outside it, where the output no longer moves with x (PyTorch's FakeQuantize does the same).
    /// </summary>
    public static Tensor Activations(Tensor x, QuantParams parameters)
    {
        ArgumentNullException.ThrowIfNull(x);
        double s = parameters.Scale, zp = parameters.ZeroPoint;
        var codes = (x.detach().to_type(ScalarType.Float64) / s).round().add(zp).clamp(parameters.Type.QMin, parameters.Type.QMax);
        var grid = (codes - zp).to_type(ScalarType.Float32) * parameters.Scale;   // exact small integers × float32 scale
        var inside = x.clamp((parameters.Type.QMin - parameters.ZeroPoint) * parameters.Scale, (parameters.Type.QMax - parameters.ZeroPoint) * parameters.Scale);
        return inside + (grid - inside).detach();                             // value: grid; gradient: 1 inside, 0 outside
    }

    private static void RequireSigned(QuantType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.IsSigned)
            throw new ArgumentException($"Weights use a signed symmetric grid (zero point 0), not {type}: use QuantType.SignedBits(n).", nameof(type));
    }
}
