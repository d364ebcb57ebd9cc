using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Decides where Q/DQ pairs go, walking the nodes in topological order, so that ONNX Runtime's QDQ selectors
/// (onnxruntime/core/optimizer/qdq_transformer) fuse each group into one integer kernel:
/// <code>
/// DQ(x) ─┐
/// DQ(W) ─┼─► Conv ─► Relu ─► Q ─► DQ ─► MaxPool ─► Q ─► DQ ─► …      ⇒  QLinearConv ─► MaxPool(uint8) ─► …
/// DQ(b) ─┘            (Q zero point = QMin: ORT's ReluQuantFusion drops the Relu)
/// </code>
/// Anchors (Conv, Gemm, MatMul with a constant weight) quantize the activation they read and their output — or,
/// when a Relu alone reads it, the Relu's output with its [0, max] range (Relu folding). Pass-through ops whose input
/// is quantized give their output the same parameters (ORT requires equal scales to drop the pair); Add and the average
/// pools whose input is quantized get their own output range (QLinearAdd, QLinearAveragePool, QLinearGlobalAveragePool).
/// A Gemm/MatMul output read by no int8 node stays float (QGemm and MatMulIntegerToFloat write float).
/// </summary>
internal static class QdqPlanner
{
    private static readonly HashSet<string> PassThrough = ["MaxPool", "Flatten", "Reshape", "Transpose"];

    public static QdqPlan Plan(GraphProto graph, ActivationRanges ranges, StaticQuantizationOptions options)
    {
        var plan = new QdqPlan();
        var folded = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Node)
        {
            string name = NameOf(node);
            if (folded.Contains(node))
            {
                plan.Quantized.Add(new(name, node.OpType, "folded: its output is quantized with zero point = QMin, which clips at 0 (ORT removes it)"));
                continue;
            }
            if (node.Domain.Length > 0 || !StaticQuantizationOptions.SupportedOps.Contains(node.OpType))
            {
                plan.Skipped.Add(new(name, node.OpType, $"no int8 rule for {(node.Domain.Length > 0 ? node.Domain + ":" : "")}{node.OpType}: runs in fp32"));
                continue;
            }
            bool anchor = StaticQuantizationOptions.AnchorOps.Contains(node.OpType);
            string? excluded = options.KeepFp32.Contains(name) ? "kept fp32 as asked (KeepFp32)"
                : !options.QuantizeOps.Contains(node.OpType) ? $"{node.OpType} is not in QuantizeOps" : null;
            if (excluded is not null)
            {
                plan.Skipped.Add(new(name, node.OpType, excluded));
                plan.AnchorExcludedByOptions |= anchor;
                continue;
            }
            string? reason = node.OpType switch
            {
                "Conv" or "Gemm" or "MatMul" => PlanAnchor(graph, node, ranges, options, plan, folded),
                "Add" => PlanAdd(graph, node, ranges, options, plan, folded),
                "AveragePool" or "GlobalAveragePool" => PlanPool(node, ranges, options, plan),
                "Relu" => "not folded: its input is not written by a quantized Conv, Gemm, MatMul or Add that only it reads",
                _ => PlanPassThrough(node, plan),
            };
            if (reason is not null)
                plan.Skipped.Add(new(name, node.OpType, reason));
        }
        return plan;
    }

    /// <summary>Conv/Gemm/MatMul: null when planned, else why not.</summary>
    private static string? PlanAnchor(GraphProto graph, NodeProto node, ActivationRanges ranges, StaticQuantizationOptions options,
        QdqPlan plan, HashSet<NodeProto> folded)
    {
        if (AnchorProblem(graph, node) is { } problem)
            return problem;
        int? axis = options.PerChannel ? WeightAxis(node) : null;
        string x = node.Input[0];
        Need(x, node, ranges, options, plan);
        string? output = OutputToQuantize(graph, node, options, folded);
        if (output is not null)
            Need(output, node, ranges, options, plan);
        plan.Anchors.Add(new(node, x, axis));
        string weights = axis is { } a ? $"per-channel (axis {a})" : "per-tensor";
        string bias = node.Input.Count > 2 && node.Input[2].Length > 0 ? ", int32 bias" : "";
        string result = output is null ? ", float output" : "";
        plan.Quantized.Add(new(NameOf(node), node.OpType, $"{options.WeightType} weights {weights}{bias}{result}"));
        return null;
    }

    /// <summary>Why a Conv/Gemm/MatMul cannot take int8 weights, or null.</summary>
    internal static string? AnchorProblem(GraphProto graph, NodeProto node)
    {
        if (node.Input.Count < 2 || Initializer(graph, node.Input[1]) is not { } w || ReadFloats(w) is null || IsGraphInput(graph, node.Input[1]))
            return "its weight (input 1) is not a constant float initializer";
        if (Initializer(graph, node.Input[0]) is not null)
            return "its input 0 is a constant, not an activation";
        if (node.Output.Count != 1)
            return "it has more than one output";
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            if (Initializer(graph, node.Input[2]) is not { } b || ReadFloats(b) is not { } bias)
                return "its bias (input 2) is not a constant float initializer";
            long channels = node.OpType == "Conv" ? w.Dims[0] : IntAttribute(node, "transB", 0) == 1 ? w.Dims[0] : w.Dims[^1];
            if (bias.Length != channels || b.Dims.Count(d => d != 1) > 1)
                return $"its bias has shape [{string.Join(",", b.Dims)}], not one value per output channel ({channels})";
        }
        return node.OpType switch
        {
            "Conv" when w.Dims.Count < 3 => "its weight is not [M, C/group, k…]",
            "Gemm" when w.Dims.Count != 2 => "its weight is not a matrix",
            "Gemm" when IntAttribute(node, "transA", 0) != 0 => "transA = 1 (QGemm fusion needs A as is)",
            "Gemm" when FloatAttribute(node, "alpha", 1f) != 1f || FloatAttribute(node, "beta", 1f) != 1f => "alpha or beta is not 1 (the int32 bias would need rescaling)",
            "MatMul" when w.Dims.Count != 2 => "its weight is not a matrix [K, N]",
            "MatMul" when node.Input.Count != 2 => "it has more than two inputs",
            _ => null,
        };
    }

    /// <summary>The output-channel axis of the weight: Conv W[M, C/g, kH, kW] → 0; Gemm B[N, K] (transB = 1) → 0; B[K, N] → 1.</summary>
    internal static int WeightAxis(NodeProto node) => node.OpType switch
    {
        "Conv" => 0,
        "Gemm" when IntAttribute(node, "transB", 0) == 1 => 0,
        _ => 1,
    };

    /// <summary>The tensor that carries an anchor's (or Add's) int8 result: the Relu's output when a Relu alone reads it (folding),
    /// else its own output — except a Gemm/MatMul output that no int8 node reads stays float.</summary>
    private static string? OutputToQuantize(GraphProto graph, NodeProto node, StaticQuantizationOptions options, HashSet<NodeProto> folded)
    {
        string y = node.Output[0];
        if (IsPrivate(graph, y) && Consumers(graph, y).Single() is { OpType: "Relu", Domain: "" } relu
            && options.QuantizeOps.Contains("Relu") && !options.KeepFp32.Contains(NameOf(relu)))
        {
            folded.Add(relu);
            return relu.Output[0];
        }
        if (node.OpType is "Conv" or "Add")
            return y; // QLinearConv and QLinearAdd always write int8
        bool readInInt8 = Consumers(graph, y).Any(c => c.Domain.Length == 0 && StaticQuantizationOptions.SupportedOps.Contains(c.OpType)
            && options.QuantizeOps.Contains(c.OpType) && !options.KeepFp32.Contains(NameOf(c)));
        return readInInt8 ? y : null;
    }

    /// <summary>Add of two activations, at least one already int8: QLinearAdd.</summary>
    private static string? PlanAdd(GraphProto graph, NodeProto node, ActivationRanges ranges, StaticQuantizationOptions options,
        QdqPlan plan, HashSet<NodeProto> folded)
    {
        if (node.Input.Count != 2 || node.Input.Any(i => Initializer(graph, i) is not null))
            return "it adds a constant (a bias Add should have been folded by the preparation)";
        if (!node.Input.Any(plan.Activations.ContainsKey))
            return "neither input is int8 (int8 is carried from a quantized Conv, Gemm or MatMul)";
        foreach (string input in node.Input)
            Need(input, node, ranges, options, plan);
        Need(OutputToQuantize(graph, node, options, folded)!, node, ranges, options, plan);
        plan.Quantized.Add(new(NameOf(node), node.OpType, "QLinearAdd: own output scale"));
        return null;
    }

    /// <summary>AveragePool / GlobalAveragePool of an int8 input: own output scale (the mean of a window needs rounding).</summary>
    private static string? PlanPool(NodeProto node, ActivationRanges ranges, StaticQuantizationOptions options, QdqPlan plan)
    {
        if (!plan.Activations.ContainsKey(node.Input[0]))
            return "its input is not int8";
        Need(node.Output[0], node, ranges, options, plan);
        plan.Quantized.Add(new(NameOf(node), node.OpType, $"QLinear{node.OpType}: own output scale"));
        return null;
    }

    /// <summary>MaxPool, Flatten, Reshape, Transpose of an int8 input: the output keeps the input's parameters, so ORT runs the op on int8 directly.</summary>
    private static string? PlanPassThrough(NodeProto node, QdqPlan plan)
    {
        if (!plan.Activations.TryGetValue(node.Input[0], out var input))
            return "its input is not int8";
        if (node.Output.Count(o => o.Length > 0) != 1)
            return "it has a second output (indices)";
        plan.Activations.TryAdd(node.Output[0], input);
        plan.Quantized.Add(new(NameOf(node), node.OpType, "runs on int8: same scale and zero point as its input"));
        return null;
    }

    /// <summary>Gives <paramref name="tensor"/> Q/DQ parameters from its range (asymmetric), once; records it when no range exists.</summary>
    private static void Need(string tensor, NodeProto reader, ActivationRanges ranges, StaticQuantizationOptions options, QdqPlan plan)
    {
        if (plan.Activations.ContainsKey(tensor))
            return;
        if (!ranges.TryGet(tensor, out var range))
        {
            plan.Missing.Add((tensor, NameOf(reader)));
            return;
        }
        plan.Activations[tensor] = QuantParams.ForRange(range, options.ActivationType, symmetric: false);
    }
}
