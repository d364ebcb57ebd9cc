using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Fusion;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Which kernels ONNX Runtime actually runs for a model: the graph it executes at a level (saved by
/// <see cref="OrtOptimizer"/>), counted by op type. A QDQ model that still shows float Conv or Gemm here was not
/// fused — its Q/DQ pairs only cost time. Speed-ups of int8 on CPU come with NHWC QLinearConv, made at "all".
/// </summary>
public static class KernelInspector
{
    /// <summary>Counts the nodes of ORT's optimized graph of <paramref name="model"/> at <paramref name="level"/>.</summary>
    public static KernelReport Inspect(Model model, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        ArgumentNullException.ThrowIfNull(model);
        var optimized = OrtOptimizer.Optimize(model, level);
        return new KernelReport(model.Name, OrtOptimizer.LevelName(level), optimized.OpTypeCounts);
    }
}
