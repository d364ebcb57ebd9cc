using TorchSharp.Modules;

namespace Talk.Kit.Training.Export;

/// <summary>ReLU → Relu; ReLU6 → Clip.</summary>
internal static class ActivationRules
{
    /// <summary>max(x, 0).</summary>
    public static OnnxValue Relu(ExportGraph graph, ReLU relu, string path, OnnxValue input) =>
        new(graph.Node("Relu", path, [input.Name]), input.Rank);

    /// <summary>
    /// min(max(x, 0), 6) (Howard et al. 2017, MobileNets): Clip with min and max as inputs, which they are since
    /// opset 11 (before, they were attributes). The two scalars are shared by every ReLU6 of the graph.
    /// </summary>
    public static OnnxValue Relu6(ExportGraph graph, ReLU6 relu6, string path, OnnxValue input)
    {
        string min = graph.SharedScalar("relu6.min", 0f);
        string max = graph.SharedScalar("relu6.max", 6f);
        return new(graph.Node("Clip", path, [input.Name, min, max]), input.Rank);
    }
}
