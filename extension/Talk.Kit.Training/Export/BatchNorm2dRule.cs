using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Export;

/// <summary>BatchNorm2d → BatchNormalization (inference form), kept as its own node so fusion passes can fold it later.</summary>
/// <remarks>
/// In eval, per channel c: y = γ_c·(x − μ_c)/√(σ²_c + ε) + β_c with μ, σ² the running statistics
/// (Ioffe &amp; Szegedy 2015). ONNX inputs: X, scale = γ, B = β, input_mean = μ, input_var = σ².
/// Momentum only matters while training, so it is not exported.
/// </remarks>
internal static class BatchNorm2dRule
{
    public static OnnxValue Emit(ExportGraph graph, BatchNorm2d bn, string path, OnnxValue input)
    {
        ModuleRules.RequireRank(input, 4, bn, path, "BatchNorm2d needs [N,C,H,W]");
        if (!bn.track_running_stats || bn.running_mean is null || bn.running_var is null)
            throw ModuleRules.Unsupported(bn, path, "it has no running statistics (track_running_stats = false), so at inference it normalizes with batch statistics, which ONNX BatchNormalization does not");

        long channels = bn.num_features;
        // affine = false means γ = 1, β = 0.
        string scale = bn.weight is { } gamma ? graph.Initializer($"{path}.weight", gamma) : graph.Initializer($"{path}.weight", Filled(channels, 1f), [channels]);
        string shift = bn.bias is { } beta ? graph.Initializer($"{path}.bias", beta) : graph.Initializer($"{path}.bias", Filled(channels, 0f), [channels]);
        string mean = graph.Initializer($"{path}.running_mean", bn.running_mean);
        string variance = graph.Initializer($"{path}.running_var", bn.running_var);

        var attributes = new Dictionary<string, object> { ["epsilon"] = (float)bn.eps };
        return new OnnxValue(graph.Node("BatchNormalization", path, [input.Name, scale, shift, mean, variance], attributes), 4);
    }

    private static float[] Filled(long count, float value) => Enumerable.Repeat(value, checked((int)count)).ToArray();
}
