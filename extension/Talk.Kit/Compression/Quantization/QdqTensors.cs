using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Quantization;

/// <summary>Initializers and nodes that a Q/DQ graph is made of (pure data).</summary>
internal static class QdqTensors
{
    /// <summary>Codes as an int8, uint8 or int32 initializer (raw little-endian data).</summary>
    public static TensorProto Codes(string name, int[] codes, OnnxElementType type, IEnumerable<long> dims)
    {
        byte[] raw = type switch
        {
            OnnxElementType.Int8 => codes.Select(c => (byte)(sbyte)c).ToArray(),
            OnnxElementType.UInt8 => codes.Select(c => (byte)c).ToArray(),
            OnnxElementType.Int32 => MemoryMarshal.AsBytes(codes.AsSpan()).ToArray(),
            _ => throw new ArgumentException($"Codes are stored as int8, uint8 or int32, not {type}.", nameof(type)),
        };
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A float32 initializer: a scalar when <paramref name="values"/> has one element and <paramref name="vector"/> is false, else 1-D.</summary>
    public static TensorProto Floats(string name, float[] values, bool vector)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        if (vector) tensor.Dims.Add(values.Length);
        return tensor;
    }

    /// <summary>Scale and zero point initializers for a list of parameters (one: scalars; several: 1-D per channel).</summary>
    public static (TensorProto Scale, TensorProto ZeroPoint) Parameters(string scaleName, string zeroPointName, IReadOnlyList<QuantParams> parameters, bool perChannel)
    {
        var type = parameters[0].Type.Storage;
        var scale = Floats(scaleName, parameters.Select(p => p.Scale).ToArray(), perChannel);
        var zero = Codes(zeroPointName, parameters.Select(p => p.ZeroPoint).ToArray(), type, perChannel ? [parameters.Count] : []);
        return (scale, zero);
    }

    /// <summary>QuantizeLinear or DequantizeLinear (opset ≥ 13 for <paramref name="axis"/>).</summary>
    public static NodeProto Node(string opType, string name, string input, string scale, string? zeroPoint, string output, int? axis = null)
    {
        var node = new NodeProto { OpType = opType, Name = name, Input = { input, scale }, Output = { output } };
        if (zeroPoint is not null) node.Input.Add(zeroPoint);
        if (axis is { } a) node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = a });
        return node;
    }
}
