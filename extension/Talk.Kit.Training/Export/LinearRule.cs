using TorchSharp.Modules;

namespace Talk.Kit.Training.Export;

/// <summary>Linear → Gemm.</summary>
/// <remarks>
/// Linear computes y = x·Wᵀ + b with W stored [out,in]. Gemm computes Y = α·A·B′ + β·C, with B′ = Bᵀ when
/// transB = 1 (α = β = 1 by default), so W goes in unchanged as B and b as C: [N,in] → [N,out].
/// </remarks>
internal static class LinearRule
{
    public static OnnxValue Emit(ExportGraph graph, Linear linear, string path, OnnxValue input)
    {
        ModuleRules.RequireRank(input, 2, linear, path, "Gemm multiplies [N,features] matrices: put a Flatten before it");
        var inputs = new List<string> { input.Name, graph.Initializer($"{path}.weight", linear.weight) };
        if (linear.bias is { } bias)
            inputs.Add(graph.Initializer($"{path}.bias", bias));
        return new OnnxValue(graph.Node("Gemm", path, inputs, new() { ["transB"] = 1L }), 2);
    }
}
