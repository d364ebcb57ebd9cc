namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>One layer computed three ways, and how the three agree.</summary>
/// <param name="Integer">Integer-only: int32 accumulators, fixed-point requantization.</param>
/// <param name="Ort">ONNX Runtime's QLinearConv / QLinearMatMul codes.</param>
/// <param name="Float">Dequantize → float32 layer → quantize.</param>
public sealed record IntegerArithmeticReport(string Layer, IntegerLayerResult Integer, int[] Ort, int[] Float,
    CodeAgreement IntegerVsOrt, CodeAgreement IntegerVsFloat, CodeAgreement OrtVsFloat)
{
    public override string ToString() => $"{Layer}: {Integer}\n  {IntegerVsOrt}\n  {IntegerVsFloat}\n  {OrtVsFloat}";
}

/// <summary>
/// Makes integer-only inference visible: computes a quantized layer with int32 accumulation and the fixed-point
/// multiplier M = 2^−n·M0 (Jacob et al. 2018), and sets it beside ONNX Runtime's result and a float reference.
/// </summary>
public static class IntegerArithmeticCheck
{
    public static IntegerArithmeticReport Conv(QuantizedConv layer)
    {
        var integer = IntegerConv.Run(layer);
        return Report("QLinearConv " + string.Join("×", layer.WShape), integer, QLinearReference.Conv(layer), FloatReference.Conv(layer));
    }

    public static IntegerArithmeticReport MatMul(QuantizedMatMul layer)
    {
        var integer = IntegerMatMul.Run(layer);
        return Report($"QLinearMatMul {layer.Rows}×{layer.Inner}·{layer.Inner}×{layer.Columns}", integer, QLinearReference.MatMul(layer), FloatReference.MatMul(layer));
    }

    private static IntegerArithmeticReport Report(string name, IntegerLayerResult integer, int[] ort, int[] reference) =>
        new(name, integer, ort, reference,
            CodeAgreement.Of("integer vs ONNX Runtime", integer.Output, ort),
            CodeAgreement.Of("integer vs float reference", integer.Output, reference),
            CodeAgreement.Of("ONNX Runtime vs float reference", ort, reference));
}
