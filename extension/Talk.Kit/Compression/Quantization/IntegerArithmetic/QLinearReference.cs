using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>
/// ONNX Runtime's answer for the same layer: a one-node QLinearConv / QLinearMatMul graph (opset 17, built with
/// <see cref="OnnxGraphBuilder"/>), run at ORT_DISABLE_ALL on one thread. ORT's MLAS kernels accumulate in int32 like
/// the integer path, but requantize with a float multiplier (float(acc)·(s_x·s_w/s_y), rounded half to even), so a
/// code may differ by one where M·acc falls within float rounding of a half.
/// </summary>
public static class QLinearReference
{
    public static int[] Conv(QuantizedConv layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var act = layer.XParams.Type.Storage;
        int m = layer.OutChannels;
        var b = new OnnxGraphBuilder("qlinearconv")
            .Input("x", act, layer.XShape)
            .Initializer("x_scale", [layer.XParams.Scale])
            .Initializer("w", layer.W.Select(q => (sbyte)q).ToArray(), layer.WShape);
        Scalar(b, "x_zero_point", layer.XParams);
        if (layer.WParams.Count == 1)
        {
            b.Initializer("w_scale", [layer.WParams[0].Scale]);
            b.Initializer("w_zero_point", [(sbyte)layer.WParams[0].ZeroPoint]);
        }
        else
        {
            b.Initializer("w_scale", layer.WParams.Select(p => p.Scale).ToArray(), m);
            b.Initializer("w_zero_point", layer.WParams.Select(p => (sbyte)p.ZeroPoint).ToArray(), m);
        }
        b.Initializer("y_scale", [layer.YParams.Scale]);
        Scalar(b, "y_zero_point", layer.YParams);
        string[] inputs = ["x", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point", "y_scale", "y_zero_point"];
        if (layer.Bias is not null) inputs = [.. inputs, "B"];
        b.Node("QLinearConv", inputs, ["y"], layer.Geometry.Attributes(layer.WShape[2], layer.WShape[3]))
         .Output("y", act, layer.YShape);
        var proto = b.ToModelProto();
        if (layer.Bias is not null)
            proto.Graph.Initializer.Add(Int32Tensor("B", layer.Bias)); // the builder has no int32 initializer
        return Run(proto, layer.X, layer.XShape, act);
    }

    public static int[] MatMul(QuantizedMatMul layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var act = layer.AParams.Type.Storage;
        var b = new OnnxGraphBuilder("qlinearmatmul")
            .Input("a", act, layer.Rows, layer.Inner)
            .Initializer("a_scale", [layer.AParams.Scale])
            .Initializer("b", layer.B.Select(q => (sbyte)q).ToArray(), layer.Inner, layer.Columns);
        Scalar(b, "a_zero_point", layer.AParams);
        if (layer.BParams.Count == 1)
        {
            b.Initializer("b_scale", [layer.BParams[0].Scale]);
            b.Initializer("b_zero_point", [(sbyte)layer.BParams[0].ZeroPoint]);
        }
        else
        {
            b.Initializer("b_scale", layer.BParams.Select(p => p.Scale).ToArray(), layer.Columns);
            b.Initializer("b_zero_point", layer.BParams.Select(p => (sbyte)p.ZeroPoint).ToArray(), layer.Columns);
        }
        b.Initializer("y_scale", [layer.YParams.Scale]);
        Scalar(b, "y_zero_point", layer.YParams);
        b.Node("QLinearMatMul", ["a", "a_scale", "a_zero_point", "b", "b_scale", "b_zero_point", "y_scale", "y_zero_point"], ["y"])
         .Output("y", act, layer.Rows, layer.Columns);
        return Run(b.ToModelProto(), layer.A, [layer.Rows, layer.Inner], act);
    }

    /// <summary>A zero point as a scalar of the activation's storage type (uint8 or int8).</summary>
    private static void Scalar(OnnxGraphBuilder b, string name, QuantParams p)
    {
        if (p.Type.Storage == OnnxElementType.UInt8) b.Initializer(name, [(byte)p.ZeroPoint]);
        else b.Initializer(name, [(sbyte)p.ZeroPoint]);
    }

    private static TensorProto Int32Tensor(string name, int[] values)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)OnnxElementType.Int32,
            RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())),
        };
        tensor.Dims.Add(values.Length);
        return tensor;
    }

    /// <summary>Feeds the activation codes as uint8 or int8 and reads the output codes back as int.</summary>
    private static int[] Run(ModelProto proto, int[] codes, long[] shape, OnnxElementType type)
    {
        using var session = Ort.CreateSession(proto.ToByteArray(), threads: 1, GraphOptimizationLevel.ORT_DISABLE_ALL);
        using var runOptions = new RunOptions();
        using var input = type == OnnxElementType.UInt8
            ? OrtValue.CreateTensorValueFromMemory(codes.Select(q => (byte)q).ToArray(), shape)
            : OrtValue.CreateTensorValueFromMemory(codes.Select(q => (sbyte)q).ToArray(), shape);
        string inputName = session.InputNames[0];
        using var outputs = session.Run(runOptions, [inputName], [input], ["y"]);
        return type == OnnxElementType.UInt8
            ? outputs[0].GetTensorDataAsSpan<byte>().ToArray().Select(q => (int)q).ToArray()
            : outputs[0].GetTensorDataAsSpan<sbyte>().ToArray().Select(q => (int)q).ToArray();
    }
}
