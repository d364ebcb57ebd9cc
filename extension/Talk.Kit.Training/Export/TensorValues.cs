using static TorchSharp.torch;

namespace Talk.Kit.Training.Export;

/// <summary>Copies TorchSharp tensors out to managed arrays (row-major, as ONNX raw_data wants).</summary>
internal static class TensorValues
{
    /// <summary>The tensor's values as float32, in row-major order. The tensor itself is not disposed.</summary>
    public static float[] ToFloats(Tensor tensor)
    {
        using var scope = NewDisposeScope(); // frees the detached/converted copies, not the caller's tensor
        return tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }
}
