using Talk.Kit.Fusion;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Makes a float model ready for quantization with the kit's own passes, each verified in ONNX Runtime by
/// <see cref="FusionPipeline"/>: BatchNorm folded into the convs (int8 kernels have no BN), bias Adds folded,
/// MatMul+Add made Gemm (QGemm), dead nodes removed, and the opset raised to 13 for per-channel Q/DQ.
/// ActivationFusion is left out on purpose: FusedConv/FusedGemm have no int8 form; Relu is folded at quantization.
/// Calibrate the prepared model: its tensor names are the ones the quantizer looks up.
/// </summary>
public static class QuantizationPreparation
{
    /// <summary>Per-channel QuantizeLinear/DequantizeLinear (the <c>axis</c> attribute) need opset 13.</summary>
    public const int MinimumOpset = 13;

    /// <summary>The passes, in order (run to a fixed point).</summary>
    public static IReadOnlyList<IGraphPass> Passes { get; } =
    [
        new IdentityElimination(),      // Identity/Dropout out of the way
        new ConstantFolding(),          // constant subgraphs → initializers
        new ConvBatchNormFolding(),     // W′ = W·γ/√(σ²+ε), b′ = (b−μ)·γ/√(σ²+ε)+β
        new ConvAddBiasFolding(),       // Conv + c[1,K,1,1] → Conv(b + c)
        new MatMulAddToGemm(),          // MatMul + c → Gemm (QGemm in int8)
        new OpsetRaise(),               // opset → 13 once only ops with unchanged meaning remain
        new DeadNodeElimination(),
    ];

    /// <summary>The prepared model (lineage step "prepare-quantization") and the pipeline's report.</summary>
    /// <param name="realInputs">Optional real input sets fed besides the random ones at every check.</param>
    /// <exception cref="QuantizationException">The opset cannot be raised to 13 (the message names the ops in the way).</exception>
    /// <exception cref="PassVerificationException">A pass changed an output beyond the tolerance.</exception>
    public static FusionResult Prepare(Model fp32, IReadOnlyList<IReadOnlyList<EquivalenceInput>>? realInputs = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        var fused = new FusionPipeline(Passes).Run(fp32, realInputs);
        var proto = fused.Model.ToProto();
        if (fused.Model.Opset is not >= MinimumOpset)
        {
            var blockers = OpsetRaise.Blockers(proto);
            throw new QuantizationException(
                $"Model '{fp32.Name}' has opset {fused.Model.Opset?.ToString() ?? "none"} and cannot be raised to {MinimumOpset} safely" +
                (blockers.Count > 0 ? $": {string.Join(", ", blockers.Take(5))} changed meaning (or are unknown) between the two." : " (opsets below 7 are not handled).") +
                " Re-export the model at opset 13 or later.");
        }
        var step = LineageStep.Now("prepare-quantization", new Dictionary<string, string>
        {
            ["passes"] = string.Join("+", Passes.Select(p => p.Name)),
            ["verified"] = fused.Report.EndToEnd is { } e ? $"ORT max |Δ| {e.MaxAbsDiff:G2}" : "nothing changed",
        });
        return fused with { Model = fp32.With(proto, step, fp32.Name + "-prepared") };
    }
}
