namespace Talk.Kit.Models;

/// <summary>
/// Default-domain (ai.onnx) opsets the kit accepts: the range ONNX Runtime 1.31 supports. Below 7 ORT only
/// "may run" a model (legacy kernels; its Relu-1 is gone); above 26 it refuses ("Current official support for
/// domain ai.onnx is till opset 26"). A test pins both ends against the ORT in use.
/// </summary>
public static class SupportedOpsets
{
    public const int Min = 7;
    public const int Max = 26;

    /// <summary>"7–26".</summary>
    public static string Range => $"{Min}–{Max}";
}
