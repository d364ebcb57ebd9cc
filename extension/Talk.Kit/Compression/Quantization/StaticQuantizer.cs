using Onnx;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Static post-training quantization to the QDQ format: the float graph gains QuantizeLinear/DequantizeLinear pairs
/// (activations, from calibrated or QAT ranges) and integer weights behind DequantizeLinear, and ONNX Runtime fuses
/// each group into one integer kernel (QLinearConv, QGemm, QLinearMatMul, QLinearAdd, …) when it loads the model.
/// The QDQ model is still plain ONNX: every tool can read it, and at ORT_DISABLE_ALL it computes the fake-quantized
/// float result, which is how its accuracy can be judged exactly as the int8 kernels will see it.
/// </summary>
/// <example><code>
/// var prepared = QuantizationPreparation.Prepare(fp32).Model;         // BN folded, opset ≥ 13
/// var ranges = Calibrator.Calibrate(prepared, batches, new());         // tensor names of the prepared model
/// var int8 = StaticQuantizer.Quantize(prepared, ranges, new StaticQuantizationOptions { KeepFp32 = new HashSet&lt;string&gt; { "conv1" } });
/// </code></example>
public static class StaticQuantizer
{
    /// <summary>Quantizes a prepared fp32 model (left as it was).</summary>
    /// <param name="fp32">A model from <see cref="QuantizationPreparation.Prepare"/> (BatchNorm folded, opset ≥ 13).</param>
    /// <param name="ranges">Range of every activation tensor the quantizer reads, named as in <paramref name="fp32"/>.</param>
    /// <param name="options">Default: per-channel int8 weights, uint8 activations, everything supported.</param>
    /// <exception cref="QuantizationException">The model is not prepared, has nothing to quantize, or a range is missing.</exception>
    public static QuantizationResult Quantize(Model fp32, ActivationRanges ranges, StaticQuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(ranges);
        options ??= new StaticQuantizationOptions();
        options.Validate();
        var proto = fp32.ToProto();
        var graph = proto.Graph;
        RequirePrepared(fp32, graph);
        RequireKnownNodes(fp32, graph, options.KeepFp32);

        var plan = QdqPlanner.Plan(graph, ranges, options);
        if (plan.Anchors.Count == 0 && !plan.AnchorExcludedByOptions)
            throw new QuantizationException(NothingToQuantize(fp32, plan));
        if (plan.Missing.Count > 0)
            throw new QuantizationException(MissingRanges(fp32, ranges, plan));

        var weights = plan.Anchors.Count == 0 ? [] : QdqWriter.Write(graph, plan, options.WeightType);
        var activations = plan.Anchors.Count == 0 ? [] : new Dictionary<string, QuantParams>(plan.Activations);
        var quantized = plan.Anchors.Count == 0 ? [] : plan.Quantized;
        var step = LineageStep.Now("quantize", new Dictionary<string, string>(options.ToParameters())
        {
            ["method"] = "static QDQ",
            ["ranges"] = $"{ranges.Method}, {ranges.Samples} samples",
        });
        var model = ModelLoader.Validate(fp32.With(proto, step, $"{fp32.Name}-{options.WeightType}"));
        return new QuantizationResult(model, quantized, plan.Skipped, weights, activations);
    }

    /// <summary>Per-channel Q/DQ needs opset 13, and a Conv followed by BatchNormalization must be folded first.</summary>
    private static void RequirePrepared(Model model, GraphProto graph)
    {
        const string how = "Prepare it first: QuantizationPreparation.Prepare(model) folds BatchNorm and raises the opset " +
                           "(verified in ONNX Runtime); then calibrate and quantize that prepared model.";
        if (model.Opset is not >= QuantizationPreparation.MinimumOpset)
            throw new QuantizationException($"Model '{model.Name}' imports opset {model.Opset?.ToString() ?? "none"}; per-channel QuantizeLinear/DequantizeLinear need opset {QuantizationPreparation.MinimumOpset}. {how}");
        if (graph.Node.FirstOrDefault(n => n.OpType == "BatchNormalization" && Producer(graph, n.Input[0])?.OpType == "Conv") is { } bn)
            throw new QuantizationException($"Model '{model.Name}' still has BatchNormalization '{NameOf(bn)}' after a Conv: int8 kernels need it folded into the weights. {how}");
    }

    private static void RequireKnownNodes(Model model, GraphProto graph, IReadOnlySet<string> keep)
    {
        var names = graph.Node.Select(NameOf).ToHashSet();
        var unknown = keep.Where(n => !names.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"KeepFp32 names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, but model '{model.Name}' has no such node. " +
                $"Its Conv/Gemm/MatMul nodes are: {string.Join(", ", graph.Node.Where(n => StaticQuantizationOptions.AnchorOps.Contains(n.OpType)).Select(NameOf))}.", nameof(keep));
    }

    private static string NothingToQuantize(Model model, QdqPlan plan)
    {
        var anchors = plan.Skipped.Where(s => StaticQuantizationOptions.AnchorOps.Contains(s.OpType)).ToList();
        string has = string.Join(", ", model.OpTypeCounts.Select(p => $"{p.Key} ×{p.Value}"));
        string why = anchors.Count == 0
            ? $"it has {has}, and no Conv, Gemm or MatMul"
            : $"its Conv/Gemm/MatMul nodes cannot be: {string.Join("; ", anchors.Select(a => $"{a.Node}: {a.Reason}"))}";
        return $"Model '{model.Name}' has nothing to quantize: {why}. Static quantization starts at Conv, Gemm and MatMul with a constant " +
               $"weight and carries int8 between them through {string.Join(", ", StaticQuantizationOptions.SupportedOps.Except(StaticQuantizationOptions.AnchorOps))}.";
    }

    private static string MissingRanges(Model model, ActivationRanges ranges, QdqPlan plan)
    {
        var missing = plan.Missing.DistinctBy(m => m.Tensor).ToList();
        string list = string.Join(", ", missing.Take(5).Select(m => $"'{m.Tensor}' (at {m.Node})")) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
        return $"No activation range for {(missing.Count == 1 ? "tensor" : $"{missing.Count} tensors")} {list} of model '{model.Name}' " +
               $"(the {ranges.Ranges.Count} ranges given, from {ranges.Method}, do not name {(missing.Count == 1 ? "it" : "them")}). " +
               "Calibrate the prepared model (QuantizationPreparation.Prepare, then the calibrator on that model) so tensor names match, or give a range for every tensor listed.";
    }
}
