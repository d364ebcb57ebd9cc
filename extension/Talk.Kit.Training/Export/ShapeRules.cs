using TorchSharp.Modules;

namespace Talk.Kit.Training.Export;

/// <summary>Flatten → Flatten(axis = 1); Dropout → nothing.</summary>
internal static class ShapeRules
{
    /// <summary>[N, d1, …, dk] → [N, d1·…·dk]: TorchSharp's Flatten(start_dim 1, end_dim −1) is ONNX Flatten with axis 1.</summary>
    public static OnnxValue Flatten(ExportGraph graph, Flatten flatten, string path, OnnxValue input)
    {
        long start = flatten.start_dim < 0 ? flatten.start_dim + input.Rank : flatten.start_dim;
        long end = flatten.end_dim < 0 ? flatten.end_dim + input.Rank : flatten.end_dim;
        if (start != 1 || end != input.Rank - 1)
            throw ModuleRules.Unsupported(flatten, path,
                $"start_dim {flatten.start_dim}, end_dim {flatten.end_dim} on a rank-{input.Rank} input is not supported, only flattening everything after the batch (start_dim 1, end_dim -1 → ONNX Flatten axis 1)");
        return new(graph.Node("Flatten", path, [input.Name], new() { ["axis"] = 1L }), 2);
    }

    /// <summary>
    /// At inference dropout is the identity (training scaled the kept activations by 1/(1−p) already), so no node
    /// is written; the graph's doc_string notes the removal.
    /// </summary>
    public static OnnxValue Dropout(ExportGraph graph, Dropout dropout, string path, OnnxValue input)
    {
        graph.Note($"Dropout {ModulePath.Label(path)} (p = {dropout.p}) was left out: it is the identity at inference.");
        return input;
    }
}
