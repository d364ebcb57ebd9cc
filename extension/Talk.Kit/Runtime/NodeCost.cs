using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// Arithmetic work of one node, from its real tensor shapes.
/// <para>Convention (stated once, used everywhere): a MAC is one multiply-accumulate of a convolution or matrix
/// product; FLOPs = 2·MACs + elementwise ops, where an elementwise op is one unit of work per element
/// (an add, a max, a comparison — a sigmoid or exp also counts as one). Bias adds are elementwise ops
/// (one per output element), not MACs. Data movement (Reshape, Flatten, Concat, …) costs 0.</para>
/// </summary>
/// <param name="Macs">Multiply-accumulates.</param>
/// <param name="ElementwiseOps">Other arithmetic, counted as above.</param>
/// <param name="IsCounted">False when the kit has no rule for the op (or a shape is unknown): the zeros then mean "not counted".</param>
public readonly record struct OpCost(long Macs, long ElementwiseOps, bool IsCounted)
{
    public long Flops => 2 * Macs + ElementwiseOps;

    public static OpCost Free => new(0, 0, true);
    public static OpCost NotCounted => new(0, 0, false);
}

/// <summary>Cost rules per operator (the basis of summaries and, later, roofline estimates).</summary>
public static class NodeCost
{
    /// <summary>Elementwise ops per output element, for ops that are nothing else.</summary>
    private static readonly IReadOnlyDictionary<string, int> perOutputElement = new Dictionary<string, int>
    {
        // one op per element
        ["Relu"] = 1, ["LeakyRelu"] = 1, ["PRelu"] = 1, ["Sigmoid"] = 1, ["Tanh"] = 1, ["Elu"] = 1, ["Selu"] = 1,
        ["HardSigmoid"] = 1, ["HardSwish"] = 1, ["Softplus"] = 1, ["Gelu"] = 1, ["Erf"] = 1,
        ["Add"] = 1, ["Sub"] = 1, ["Mul"] = 1, ["Div"] = 1, ["Pow"] = 1, ["Max"] = 1, ["Min"] = 1, ["Sum"] = 1, ["Mean"] = 1,
        ["Sqrt"] = 1, ["Exp"] = 1, ["Log"] = 1, ["Neg"] = 1, ["Abs"] = 1, ["Reciprocal"] = 1,
        ["Clip"] = 2,               // a max with the lower bound, a min with the upper
        ["BatchNormalization"] = 2, // y = x·s + t once s = γ/√(σ²+ε) and t = β − μ·s are folded: a multiply and an add
        ["QuantizeLinear"] = 2,     // q = round(x/s) + z: a scale and a shift
        ["DequantizeLinear"] = 2,   // x = (q − z)·s
        ["Softmax"] = 3, ["LogSoftmax"] = 3, // an exp, a share of the sum, a divide
    };

    private static readonly HashSet<string> dataMovement =
    [
        "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Concat", "Split", "Slice", "Gather", "Identity",
        "Dropout", "Cast", "Shape", "Size", "Constant", "ConstantOfShape", "Pad", "Expand", "Tile",
    ];

    /// <summary>The work of <paramref name="node"/> given the shapes of its inputs and outputs (null where unknown or omitted).</summary>
    public static OpCost Of(NodeProto node, IReadOnlyList<TensorShape?> inputs, IReadOnlyList<TensorShape?> outputs)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            return OpCost.NotCounted;
        TensorShape? output = At(outputs, 0);
        return node.OpType switch
        {
            "Conv" or "ConvInteger" => Convolution(output, weights: At(inputs, 1), hasBias: node.OpType == "Conv" && At(inputs, 2) is not null),
            "QLinearConv" => Convolution(output, weights: At(inputs, 3), hasBias: At(inputs, 8) is not null),
            "ConvTranspose" => ConvTranspose(At(inputs, 0), At(inputs, 1), output, hasBias: At(inputs, 2) is not null),
            "Gemm" => Gemm(At(inputs, 0), output, transA: Attribute(node, "transA") != 0, hasC: At(inputs, 2) is not null),
            "MatMul" or "MatMulInteger" or "QLinearMatMul" => MatMul(At(inputs, 0), output),
            "MaxPool" or "AveragePool" or "LpPool" => Pool(output, node),
            "GlobalAveragePool" or "GlobalMaxPool" or "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" =>
                At(inputs, 0) is { } x ? new OpCost(0, x.ElementCount, true) : OpCost.NotCounted, // one op per element read
            var op when perOutputElement.TryGetValue(op, out int k) =>
                output is null ? OpCost.NotCounted : new OpCost(0, k * output.ElementCount, true),
            var op when dataMovement.Contains(op) => OpCost.Free,
            _ => OpCost.NotCounted,
        };
    }

    /// <summary>
    /// Y[N,Cout,Hout,Wout] from W[Cout, Cin/group, kh, kw]: each output element is a dot product of length (Cin/group)·kh·kw,
    /// so MACs = N·Cout·Hout·Wout·(Cin/group)·kh·kw = |Y|·|W|/Cout (any number of spatial dims).
    /// </summary>
    private static OpCost Convolution(TensorShape? output, TensorShape? weights, bool hasBias)
    {
        if (output is null || weights is null || weights.Rank < 3)
            return OpCost.NotCounted;
        long perOutput = weights.ElementCount / weights[0];
        return new OpCost(output.ElementCount * perOutput, hasBias ? output.ElementCount : 0, true);
    }

    /// <summary>X[N,Cin,H,W], W[Cin, Cout/group, kh, kw]: every input element is scattered through a (Cout/group)·kh·kw kernel: MACs = |X|·|W|/Cin.</summary>
    private static OpCost ConvTranspose(TensorShape? input, TensorShape? weights, TensorShape? output, bool hasBias)
    {
        if (input is null || weights is null || output is null || weights.Rank < 3)
            return OpCost.NotCounted;
        return new OpCost(input.ElementCount * (weights.ElementCount / weights[0]), hasBias ? output.ElementCount : 0, true);
    }

    /// <summary>Y[M,N] = α·A'·B' + β·C with A'[M,K]: MACs = M·N·K; adding C is one op per output element (α, β scaling not counted).</summary>
    private static OpCost Gemm(TensorShape? a, TensorShape? output, bool transA, bool hasC)
    {
        if (a is null || output is null || a.Rank != 2)
            return OpCost.NotCounted;
        long k = transA ? a[0] : a[1];
        return new OpCost(output.ElementCount * k, hasC ? output.ElementCount : 0, true);
    }

    /// <summary>Y[…,M,N] = A[…,M,K]·B[…,K,N] (numpy broadcasting): MACs = |Y|·K, with K the last dim of A.</summary>
    private static OpCost MatMul(TensorShape? a, TensorShape? output) =>
        a is null || output is null || a.Rank == 0 ? OpCost.NotCounted : new OpCost(output.ElementCount * a[-1], 0, true);

    /// <summary>Each output element reads a kernel window: |Y|·kh·kw ops (a max or an add each).</summary>
    private static OpCost Pool(TensorShape? output, NodeProto node)
    {
        var kernel = node.Attribute.FirstOrDefault(a => a.Name == "kernel_shape")?.Ints;
        if (output is null || kernel is null || kernel.Count == 0)
            return OpCost.NotCounted;
        return new OpCost(0, output.ElementCount * kernel.Aggregate(1L, (n, k) => n * k), true);
    }

    private static long Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? 0;

    private static TensorShape? At(IReadOnlyList<TensorShape?> shapes, int index) => index < shapes.Count ? shapes[index] : null;
}
