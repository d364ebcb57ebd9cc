using Talk.Kit.Training.Networks;
using TorchSharp.Modules;

namespace Talk.Kit.Training.Export;

/// <summary>Modules that only arrange other modules: their export is the export of their children.</summary>
internal static class ContainerRules
{
    /// <summary>Sequential: child i consumes child i−1's output; paths are "parent.child".</summary>
    public static OnnxValue Sequential(ExportGraph graph, Sequential sequential, string path, OnnxValue input)
    {
        var value = input;
        foreach (var (name, child) in sequential.named_children())
            value = graph.Emit(child, ModulePath.Join(path, name), value);
        return value;
    }

    /// <summary>InvertedResidual: y = block(x), then y = x + y (ONNX Add) when the block is residual.</summary>
    public static OnnxValue InvertedResidual(ExportGraph graph, InvertedResidual module, string path, OnnxValue input)
    {
        var branch = graph.Emit(module.Block, ModulePath.Join(path, "block"), input);
        if (!module.Residual)
            return branch;
        return new OnnxValue(graph.Node("Add", ModulePath.Join(path, "add"), [input.Name, branch.Name]), input.Rank);
    }
}
