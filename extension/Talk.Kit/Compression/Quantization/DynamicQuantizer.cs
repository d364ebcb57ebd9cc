using Onnx;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Dynamic quantization of Gemm/MatMul layers: weights become int8 once; each activation is quantized at run time
/// from its own min/max (no calibration), so it suits fully connected models whose inputs vary widely.
/// </summary>
/// <remarks>
/// <code>
/// Before:  A ─► Gemm(W[N,K], transB = 1, c) ─► Y
/// After:   A ─► DynamicQuantizeLinear ─► A_q (uint8), s_a, z_a
///          MatMulInteger(A_q, W_q[K,N] int8, z_a, z_w) ─► int32 ─► Cast(float) ─► Mul(s_a·s_w) ─► Add(c) ─► Y
/// </code>
/// Y = s_a·s_w[n]·Σ_k (A_q[m,k] − z_a)·(W_q[k,n] − z_w[n]) + c[n]. ONNX Runtime fuses this chain into
/// MatMulIntegerToFloat and then, with the DynamicQuantizeLinear, into one com.microsoft:DynamicQuantizeMatMul
/// (onnxruntime/core/optimizer/matmul_integer_to_float.cc, dynamic_quantize_matmul_fusion.cc).
/// Convs are left in fp32: dynamic quantization pays off where weights dominate (Gemm/MatMul).
/// </remarks>
public static class DynamicQuantizer
{
    /// <summary>DynamicQuantizeLinear appeared in opset 11.</summary>
    public const int MinimumOpset = 11;

    /// <exception cref="QuantizationException">The opset is too old, or no Gemm/MatMul has a constant weight.</exception>
    public static QuantizationResult Quantize(Model fp32, DynamicQuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        options ??= new DynamicQuantizationOptions();
        options.Validate();
        if (fp32.Opset is not >= MinimumOpset)
            throw new QuantizationException($"Model '{fp32.Name}' imports opset {fp32.Opset?.ToString() ?? "none"}; DynamicQuantizeLinear needs {MinimumOpset}. " +
                "Prepare it first: QuantizationPreparation.Prepare(model) raises the opset (verified in ONNX Runtime).");
        var proto = fp32.ToProto();
        var graph = proto.Graph;
        var quantized = new List<QuantizedNode>();
        var skipped = new List<SkippedNode>();
        var weights = new Dictionary<string, WeightQuantization>();
        bool excluded = false;
        foreach (var node in graph.Node.ToList())
        {
            string name = NameOf(node);
            if (node.Domain.Length > 0 || node.OpType is not ("Gemm" or "MatMul"))
            {
                skipped.Add(new(name, node.OpType, "dynamic quantization covers Gemm and MatMul only"));
                continue;
            }
            string? reason = options.KeepFp32.Contains(name) ? "kept fp32 as asked (KeepFp32)" : QdqPlanner.AnchorProblem(graph, node);
            excluded |= options.KeepFp32.Contains(name);
            if (reason is not null)
            {
                skipped.Add(new(name, node.OpType, reason));
                continue;
            }
            weights[name] = Rewrite(graph, node, options);
            quantized.Add(new(name, node.OpType, $"{options.WeightType} weights {(options.PerChannel ? "per-column" : "per-tensor")}, uint8 activations at run time"));
        }
        if (quantized.Count == 0 && !excluded)
            throw new QuantizationException($"Model '{fp32.Name}' has nothing to quantize dynamically: it has {string.Join(", ", fp32.OpTypeCounts.Select(p => $"{p.Key} ×{p.Value}"))}. " +
                "Dynamic quantization rewrites Gemm and MatMul with a constant weight matrix (alpha = beta = 1, transA = 0); for Conv use StaticQuantizer.");
        foreach (var w in weights.Values)
            RemoveIfUnused(graph, w.Weight);
        var step = LineageStep.Now("quantize", new Dictionary<string, string>
        {
            ["method"] = "dynamic (DynamicQuantizeLinear + MatMulInteger)",
            ["weights"] = $"{options.WeightType} symmetric {(options.PerChannel ? "per-column" : "per-tensor")}",
            ["activations"] = "uint8, range of each batch at run time",
        });
        var model = ModelLoader.Validate(fp32.With(proto, step, $"{fp32.Name}-dynamic-{options.WeightType}"));
        return new QuantizationResult(model, quantized, skipped, weights, new Dictionary<string, QuantParams>());
    }

    /// <summary>Replaces <paramref name="node"/> (in place, same position) by the integer chain.</summary>
    private static WeightQuantization Rewrite(GraphProto graph, NodeProto node, DynamicQuantizationOptions options)
    {
        string name = NameOf(node), a = node.Input[0], y = node.Output[0];
        var w = Initializer(graph, node.Input[1])!;
        float[] values = ReadFloats(w)!;
        long k = w.Dims[0], n = w.Dims[1];
        if (node.OpType == "Gemm" && IntAttribute(node, "transB", 0) == 1)
        {
            (k, n) = (n, k);
            values = Transpose(values, (int)n, (int)k);  // W[N,K] → Wᵀ[K,N]: MatMulInteger has no transB
        }
        var q = WeightQuantizer.Weights(values, [k, n], options.PerChannel ? 1 : null, options.WeightType);
        string U(string suffix) => UniqueName(graph, $"{name}{suffix}");

        string wq = U("_weight_quantized"), ws = U("_weight_scale"), wz = U("_weight_zero_point");
        graph.Initializer.Add(QdqTensors.Codes(wq, q.Codes, OnnxElementType.Int8, [k, n]));
        var (scale, zero) = QdqTensors.Parameters(ws, wz, q.Params, options.PerChannel);
        graph.Initializer.Add(scale);
        graph.Initializer.Add(zero);

        string aq = U("_input_quantized"), sa = U("_input_scale"), za = U("_input_zero_point");
        string acc = U("_int32"), fl = U("_float"), s = U("_output_scale");
        bool bias = node.Input.Count > 2 && node.Input[2].Length > 0;
        string scaled = bias ? U("_scaled") : y;
        var chain = new List<NodeProto>
        {
            Make("DynamicQuantizeLinear", U("_DynamicQuantizeLinear"), [a], [aq, sa, za]),
            Make("MatMulInteger", U("_MatMulInteger"), [aq, wq, za, wz], [acc]),
            Make("Cast", U("_Cast"), [acc], [fl], new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)OnnxElementType.Float }),
            Make("Mul", U("_scale_Mul"), [sa, ws], [s]),            // s_a · s_w[n]
            Make("Mul", U("_Mul"), [fl, s], [scaled]),
        };
        if (bias)
            chain.Add(Make("Add", U("_bias_Add"), [scaled, node.Input[2]], [y]));
        int at = graph.Node.IndexOf(node);
        graph.Node.RemoveAt(at);
        for (int i = 0; i < chain.Count; i++)
            graph.Node.Insert(at + i, chain[i]);
        return new WeightQuantization(name, w.Name, wq, options.PerChannel ? 1 : null, q.Params, [k, n]);
    }

    private static NodeProto Make(string op, string name, string[] inputs, string[] outputs, AttributeProto? attribute = null)
    {
        var node = new NodeProto { OpType = op, Name = name, Input = { inputs }, Output = { outputs } };
        if (attribute is not null) node.Attribute.Add(attribute);
        return node;
    }

    /// <summary>[rows, cols] row-major → [cols, rows].</summary>
    private static float[] Transpose(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                t[c * rows + r] = m[r * cols + c];
        return t;
    }
}
