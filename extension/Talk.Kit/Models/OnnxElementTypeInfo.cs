namespace Talk.Kit.Models;

/// <summary>Storage sizes of <see cref="OnnxElementType"/>s.</summary>
public static class OnnxElementTypeInfo
{
    /// <summary>Bits one element occupies in a dense tensor (int4 packs two per byte); null for strings and unknown types.</summary>
    public static int? BitsPerElement(this OnnxElementType type) => type switch
    {
        OnnxElementType.UInt4 or OnnxElementType.Int4 => 4,
        OnnxElementType.Bool or OnnxElementType.UInt8 or OnnxElementType.Int8 => 8,
        OnnxElementType.Float8E4M3FN or OnnxElementType.Float8E4M3FNUZ or OnnxElementType.Float8E5M2 or OnnxElementType.Float8E5M2FNUZ => 8,
        OnnxElementType.UInt16 or OnnxElementType.Int16 or OnnxElementType.Float16 or OnnxElementType.BFloat16 => 16,
        OnnxElementType.Float or OnnxElementType.Int32 or OnnxElementType.UInt32 => 32,
        OnnxElementType.Double or OnnxElementType.Int64 or OnnxElementType.UInt64 or OnnxElementType.Complex64 => 64,
        OnnxElementType.Complex128 => 128,
        _ => null,
    };

    /// <summary>Bytes of a dense tensor of <paramref name="elements"/> elements: ⌈elements·bits/8⌉; 0 when the size is not fixed (strings).</summary>
    public static long TensorBytes(this OnnxElementType type, long elements) =>
        type.BitsPerElement() is { } bits ? (elements * bits + 7) / 8 : 0;

    /// <summary>Lower-case ONNX spelling, as in <c>tensor(float)</c>.</summary>
    public static string OnnxName(this OnnxElementType type) =>
        Enum.IsDefined(type) ? type.ToString().ToLowerInvariant() : $"type{(int)type}";
}
