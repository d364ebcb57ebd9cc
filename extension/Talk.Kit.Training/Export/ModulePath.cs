namespace Talk.Kit.Training.Export;

/// <summary>Module paths as PyTorch writes them ("features.conv1"); they name ONNX nodes, values and initializers.</summary>
internal static class ModulePath
{
    public static string Join(string parent, string child) => parent.Length == 0 ? child : $"{parent}.{child}";

    /// <summary>The path as shown in messages; the root module has the empty path.</summary>
    public static string Label(string path) => path.Length == 0 ? "(root)" : $"'{path}'";
}
