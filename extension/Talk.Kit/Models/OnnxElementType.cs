namespace Talk.Kit.Models;

/// <summary>ONNX tensor element types the kit uses (values of onnx.proto's TensorProto.DataType).</summary>
public enum OnnxElementType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    Float16 = 10,
}
