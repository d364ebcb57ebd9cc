using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Compression.Quantization;

/// <summary>A float16 model and what it saves.</summary>
/// <param name="Model">Weights and compute in float16; fp32 in and out (lineage step "fp16").</param>
/// <param name="Initializers">Float initializers converted.</param>
/// <param name="InitializerBytesBefore">Dense bytes of all initializers before.</param>
/// <param name="InitializerBytesAfter">… and after (float tensors halve).</param>
/// <param name="Note">What to expect on a CPU.</param>
public sealed record Fp16Result(Model Model, int Initializers, long InitializerBytesBefore, long InitializerBytesAfter, string Note)
{
    public double SizeRatio => InitializerBytesBefore == 0 ? 1 : (double)InitializerBytesAfter / InitializerBytesBefore;
}

/// <summary>
/// Converts a float32 model to float16: every float initializer, Constant and Cast target becomes float16, and Casts at
/// the graph's inputs and outputs keep its interface float32, so callers feed and read what they did before.
/// </summary>
/// <remarks>
/// <code>
/// Before:  x (fp32) ─► Conv(W fp32) ─► … ─► y (fp32)
/// After:   x (fp32) ─► Cast(fp16) ─► Conv(W fp16) ─► … ─► Cast(fp32) ─► y (fp32)
/// </code>
/// Float16 has 10 mantissa bits (relative step 2⁻¹¹ ≈ 4.9e-4) and a largest finite value of 65,504: larger
/// weights are clamped to it. On x86 CPUs ONNX Runtime has few float16 kernels; for the others its InsertCastTransformer
/// casts back to float32 around the node, so the model is half the size but not faster (PLATFORM.md).
/// </remarks>
public static class Fp16Converter
{
    public const string CpuNote = "Half the weight bytes. On this CPU ONNX Runtime computes most ops in float32 (it inserts Casts around nodes without a float16 kernel): expect no speed-up.";

    /// <exception cref="QuantizationException">The model has no float32 input or initializer to convert.</exception>
    public static Fp16Result Convert(Model fp32)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        var proto = fp32.ToProto();
        var graph = proto.Graph;
        int converted = 0;
        foreach (var tensor in graph.Initializer.Where(t => t.DataType == (int)OnnxElementType.Float).ToList())
        {
            ToHalf(tensor);
            converted++;
        }
        if (converted == 0 && !graph.Input.Any(IsFloat))
            throw new QuantizationException($"Model '{fp32.Name}' has no float32 weights or inputs: there is nothing to convert to float16.");
        foreach (var node in AllNodes(graph))
            foreach (var attribute in node.Attribute)
            {
                if (attribute.T is { DataType: (int)OnnxElementType.Float } t) ToHalf(t);                    // Constant value
                if (node.OpType == "Cast" && attribute.Name == "to" && attribute.I == (long)OnnxElementType.Float)
                    attribute.I = (long)OnnxElementType.Float16;
            }
        foreach (var info in graph.ValueInfo.Where(IsFloat))
            info.Type.TensorType.ElemType = (int)OnnxElementType.Float16;

        var head = new List<NodeProto>();
        foreach (var input in graph.Input.Where(i => IsFloat(i) && Initializer(graph, i.Name) is null))
        {
            string half = UniqueName(graph, input.Name + "_fp16");
            RenameReads(graph, input.Name, half);
            head.Add(Cast(input.Name, half, OnnxElementType.Float16));
        }
        foreach (var output in graph.Output.Where(IsFloat))
        {
            string half = UniqueName(graph, output.Name + "_fp16");
            foreach (var producer in graph.Node.Where(n => n.Output.Contains(output.Name)))
                producer.Output[producer.Output.IndexOf(output.Name)] = half;
            RenameReads(graph, output.Name, half);
            graph.Node.Add(Cast(half, output.Name, OnnxElementType.Float));
        }
        for (int i = 0; i < head.Count; i++)
            graph.Node.Insert(i, head[i]);

        var model = ModelLoader.Validate(fp32.With(proto, LineageStep.Now("fp16", new Dictionary<string, string> { ["interface"] = "fp32 (Casts at inputs and outputs)" }),
            fp32.Name + "-fp16"));
        return new Fp16Result(model, converted, fp32.InitializerBytes, model.InitializerBytes, CpuNote);
    }

    private static bool IsFloat(ValueInfoProto info) => info.Type?.TensorType?.ElemType == (int)OnnxElementType.Float;

    private static NodeProto Cast(string input, string output, OnnxElementType to) => new()
    {
        OpType = "Cast",
        Name = output + "_Cast",
        Input = { input },
        Output = { output },
        Attribute = { new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)to } },
    };

    /// <summary>Rewrites a float32 tensor in place as float16 (raw little-endian), clamping to ±65,504.</summary>
    private static void ToHalf(TensorProto tensor)
    {
        float[] values = ReadFloats(tensor) ?? throw new QuantizationException($"Tensor '{tensor.Name}' is stored outside the model; load its external data first.");
        var halves = new ushort[values.Length];
        for (int i = 0; i < values.Length; i++)
            halves[i] = BitConverter.HalfToUInt16Bits((Half)Math.Clamp(values[i], -65504f, 65504f));
        tensor.FloatData.Clear();
        tensor.DataType = (int)OnnxElementType.Float16;
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(halves.AsSpan()));
    }
}
