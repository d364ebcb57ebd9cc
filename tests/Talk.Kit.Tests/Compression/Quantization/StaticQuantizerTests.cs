using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Talk.Kit.Compression.Quantization;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Compression.Quantization;

public sealed class StaticQuantizerTests
{
    private static readonly Model convNet = QuantGraphs.ConvNet();
    private static readonly ActivationRanges ranges = MinMaxRanges.Compute(convNet, MinMaxRanges.Random(QuantGraphs.ConvNetInput));

    [Fact]
    public void ConvReluPoolFlattenGemm_GetsQdqOnTheActivationsTheInt8KernelsRead()
    {
        var result = StaticQuantizer.Quantize(convNet, ranges);
        var graph = result.Model.ToProto().Graph;

        // Q on the input, on the Relu output (folded), and on MaxPool/Flatten outputs; none on the Conv output nor the logits.
        Assert.Equal(["x", "r", "p", "f"], graph.Node.Where(n => n.OpType == "QuantizeLinear").Select(n => n.Input[0]));
        Assert.Equal(4 + 2 + 2, graph.Node.Count(n => n.OpType == "DequantizeLinear")); // 4 activations, 2 weights, 2 biases
        Assert.Equal("c", graph.Node.Single(n => n.OpType == "Relu").Input[0]);        // Conv → Relu → Q: ORT drops the Relu
        Assert.Equal("y", graph.Node.Single(n => n.OpType == "Gemm").Output[0]);       // QGemm writes float logits
        Assert.Equal(0, result.ActivationParams["r"].ZeroPoint);                        // [0, max] → zero point = QMin
        Assert.Equal(result.ActivationParams["r"], result.ActivationParams["p"]);       // pass-through ops keep the scale
        Assert.Equal(result.ActivationParams["r"], result.ActivationParams["f"]);
        Assert.Equal(["conv", "relu", "pool", "flatten", "fc"], result.Quantized.Select(q => q.Node));
        Assert.Empty(result.Skipped);
        Assert.Equal("quantize", result.Model.Lineage.Steps[^1].Pass);
        Assert.DoesNotContain(graph.Initializer, t => t.Name is "conv.w" or "conv.b" or "fc.w" or "fc.b"); // float weights gone
    }

    [Fact]
    public void Weights_AreInt8PerChannelOnTheOutputAxis_BiasInt32WithScaleInputTimesWeight()
    {
        var result = StaticQuantizer.Quantize(convNet, ranges);
        var graph = result.Model.ToProto().Graph;
        var conv = result.ParamsByNode["conv"];
        var fc = result.ParamsByNode["fc"];

        var w = Initializer(graph, conv.QuantizedWeight);
        Assert.Equal((int)OnnxElementType.Int8, w.DataType);
        Assert.Equal([8L, 3, 3, 3], w.Dims);
        Assert.Equal(0, conv.Axis);
        Assert.Equal(8, conv.Params.Count);
        Assert.Equal(0, Attribute(DequantizerOf(graph, conv.QuantizedWeight), "axis"));
        Assert.Equal(0, fc.Axis);                                                      // Gemm transB = 1: B is [N, K]
        Assert.Equal(10, fc.Params.Count);

        // Symmetric: zero point 0, scale = max|W[c]| / 127, and the largest code of every channel is ±127.
        float[] floats = FloatsOf(convNet, "conv.w");
        var codes = MemoryMarshal.Cast<byte, sbyte>(w.RawData.Span).ToArray();
        for (int c = 0; c < 8; c++)
        {
            var channel = floats.AsSpan(c * 27, 27);
            Assert.Equal(0, conv.Params[c].ZeroPoint);
            Assert.Equal(TensorRange.Of(channel).AbsMax / 127f, conv.Params[c].Scale, 1e-6f);
            Assert.Equal(127, codes.Skip(c * 27).Take(27).Max(q => Math.Abs((int)q)));
        }

        // Bias: int32, scale s_x·s_w[c], zero point 0.
        var biasDq = graph.Node.Single(n => n.OpType == "DequantizeLinear" && n.Output[0] == graph.Node.Single(m => m.OpType == "Conv").Input[2]);
        var bias = Initializer(graph, biasDq.Input[0]);
        Assert.Equal((int)OnnxElementType.Int32, bias.DataType);
        float[] biasScale = MemoryMarshal.Cast<byte, float>(Initializer(graph, biasDq.Input[1]).RawData.Span).ToArray();
        float sx = result.ActivationParams["x"].Scale;
        Assert.Equal(conv.Params.Select(p => sx * p.Scale), biasScale);
        int[] biasCodes = MemoryMarshal.Cast<byte, int>(bias.RawData.Span).ToArray();
        float[] b = FloatsOf(convNet, "conv.b");
        for (int c = 0; c < 8; c++)
            Assert.Equal(b[c], biasCodes[c] * biasScale[c], biasScale[c]);              // within one step of the bias grid
        Assert.Equal(0, Attribute(biasDq, "axis"));
    }

    [Fact]
    public void PerTensor_GivesOneScalarScalePerWeight()
    {
        var result = StaticQuantizer.Quantize(convNet, ranges, new StaticQuantizationOptions { PerChannel = false });
        var graph = result.Model.ToProto().Graph;
        var dq = DequantizerOf(graph, result.ParamsByNode["conv"].QuantizedWeight);

        Assert.Null(result.ParamsByNode["conv"].Axis);
        Assert.Single(result.ParamsByNode["conv"].Params);
        Assert.Empty(Initializer(graph, dq.Input[1]).Dims);                             // a scalar scale
        Assert.DoesNotContain(dq.Attribute, a => a.Name == "axis");
    }

    [Fact]
    public void FourBitWeights_UseCodesMinus7To7_StoredInInt8()
    {
        var result = StaticQuantizer.Quantize(convNet, ranges, new StaticQuantizationOptions { WeightBits = 4 });
        var w = Initializer(result.Model.ToProto().Graph, result.ParamsByNode["fc"].QuantizedWeight);
        var codes = MemoryMarshal.Cast<byte, sbyte>(w.RawData.Span).ToArray();

        Assert.Equal((int)OnnxElementType.Int8, w.DataType);
        Assert.Equal(7, codes.Max(q => Math.Abs((int)q)));
        Assert.Equal("int4", result.ParamsByNode["fc"].Params[0].Type.Name);
    }

    [Fact]
    public void QuantizedModel_AgreesWithFp32_AsQdqAndAsInt8Kernels()
    {
        var inputs = MinMaxRanges.Random(QuantGraphs.ConvNetInput, batches: 8, seed: 99).ToList();
        var qdq = StaticQuantizer.Quantize(convNet, ranges).Model;
        var reduced = StaticQuantizer.Quantize(convNet, ranges, new StaticQuantizationOptions { WeightBits = 7 }).Model;

        // ORT_DISABLE_ALL runs the QDQ graph as float math on int8-rounded values: the quantization error alone.
        Assert.InRange(MeanCosine(qdq, inputs, GraphOptimizationLevel.ORT_DISABLE_ALL), 0.9999, 1.0);
        // ORT_ENABLE_ALL runs QLinearConv/QGemm. 7-bit weights stay clear of U8S8 int16 saturation on CPUs without VNNI.
        Assert.InRange(MeanCosine(reduced, inputs, GraphOptimizationLevel.ORT_ENABLE_ALL), 0.9999, 1.0);
    }

    private static double MeanCosine(Model quantized, List<(float[] Data, long[] Shape)> inputs, GraphOptimizationLevel level)
    {
        using var a = new ModelRunner(quantized, 1, level);
        using var b = new ModelRunner(convNet, 1, GraphOptimizationLevel.ORT_DISABLE_ALL);
        var cosines = new List<double>();
        foreach (var (data, shape) in inputs)
        {
            float[] ya = a.Run(data, shape).Output, yb = b.Run(data, shape).Output;
            for (int i = 0; i < shape[0]; i++)
                cosines.Add(Evaluator.Cosine(ya.AsSpan(i * 10, 10), yb.AsSpan(i * 10, 10)));
        }
        return cosines.Average();
    }

    [Fact]
    public void KeepFp32_LeavesThatConvFloat_AndInt8StartsAtTheGemm()
    {
        var result = StaticQuantizer.Quantize(convNet, ranges, new StaticQuantizationOptions { KeepFp32 = new HashSet<string> { "conv" } });
        var graph = result.Model.ToProto().Graph;

        Assert.Equal(["f"], graph.Node.Where(n => n.OpType == "QuantizeLinear").Select(n => n.Input[0]));
        Assert.Equal("conv.w", graph.Node.Single(n => n.OpType == "Conv").Input[1]);   // float weight, read directly
        Assert.Equal(["fc"], result.Quantized.Select(q => q.Node));
        Assert.Contains(result.Skipped, s => s.Node == "conv" && s.Reason.Contains("KeepFp32"));
        Assert.Contains(result.Skipped, s => s.Node == "pool" && s.Reason.Contains("not int8"));
    }

    [Fact]
    public void KeepingEveryConvAndGemm_IsANoOp()
    {
        var result = StaticQuantizer.Quantize(convNet, ranges, new StaticQuantizationOptions { KeepFp32 = new HashSet<string> { "conv", "fc" } });

        Assert.Empty(result.Quantized);
        Assert.Empty(result.ParamsByNode);
        Assert.Equal(convNet.OpTypeCounts, result.Model.OpTypeCounts);
        Assert.Equal(convNet.ToProto().Graph, result.Model.ToProto().Graph);            // the very same graph
        Assert.Equal(5, result.Skipped.Count);
    }

    [Fact]
    public void Int8Activations_FoldTheReluWithZeroPointMinus128()
    {
        var result = StaticQuantizer.Quantize(convNet, ranges, new StaticQuantizationOptions { ActivationType = QuantType.Int8 });
        var zp = Initializer(result.Model.ToProto().Graph, "r_zero_point");

        Assert.Equal((int)OnnxElementType.Int8, zp.DataType);
        Assert.Equal(-128, result.ActivationParams["r"].ZeroPoint);
    }

    [Fact]
    public void MatMulWeights_ArePerChannelOnAxis1()
    {
        var mlp = QuantizationPreparation.Prepare(QuantGraphs.Mlp()).Model; // MatMul + Add → Gemm (transB = 0)
        var result = StaticQuantizer.Quantize(mlp, MinMaxRanges.Compute(mlp, MinMaxRanges.Random([4, 64])));

        Assert.All(result.ParamsByNode.Values, w => Assert.Equal(1, w.Axis));          // B is [K, N]: N is axis 1
        Assert.Equal(32, result.ParamsByNode.Values.First().Params.Count);
    }

    internal static TensorProto Initializer(GraphProto graph, string name) => graph.Initializer.Single(t => t.Name == name);

    internal static NodeProto DequantizerOf(GraphProto graph, string tensor) =>
        graph.Node.Single(n => n.OpType == "DequantizeLinear" && n.Input[0] == tensor);

    private static long? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I;

    private static float[] FloatsOf(Model model, string initializer) =>
        MemoryMarshal.Cast<byte, float>(model.ToProto().Graph.Initializer.Single(t => t.Name == initializer).RawData.Span).ToArray();
}
