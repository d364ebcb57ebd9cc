using Google.Protobuf;
using Onnx;

namespace Talk.Kit.Models;

/// <summary>
/// What can be checked about an ONNX model without running it: it parses, has a graph with inputs and outputs,
/// imports a supported opset, keeps its weights inside, and every tensor a node reads is produced by something.
/// Types, shapes and kernels are ONNX Runtime's to judge (Runtime/ModelLoader).
/// </summary>
internal static class StructuralCheck
{
    private const int MaxNamesListed = 5;

    /// <summary>Parses <paramref name="bytes"/>; <paramref name="where"/> names the model in messages ("model 'x' (file)").</summary>
    public static ModelProto Parse(byte[] bytes, string where)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException(
                $"{Capitalized(where)} cannot be read as ONNX ({bytes.Length:N0} bytes; protobuf says: {e.Message.Trim()}). " +
                "It is truncated or not an ONNX model: re-export or re-download it.", e);
        }
    }

    /// <summary>Throws a <see cref="ModelFormatException"/> for the first structural problem found.</summary>
    public static void Check(ModelProto model, string where)
    {
        string what = Capitalized(where);
        if (model.Graph is null)
            throw new ModelFormatException($"{what} has no graph: it is not an ONNX model, or it was cut short. Re-export or re-download it.");
        if (model.IrVersion <= 0)
            throw new ModelFormatException($"{what} declares no IR version: it is not an ONNX model, or it was cut short. Re-export it with an ONNX exporter.");
        CheckOpsets(model, what);

        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).Concat(graph.SparseInitializer.Select(s => s.Values?.Name ?? "")).ToHashSet();
        if (!graph.Input.Any(i => !initializers.Contains(i.Name)))
            throw new ModelFormatException($"{what} has no inputs: there is nothing to feed it. Export it with at least one graph input.");
        if (graph.Output.Count == 0)
            throw new ModelFormatException($"{what} has no outputs: running it would compute nothing. Export it with its graph outputs.");

        var external = graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).Select(t => t.Name).ToList();
        if (external.Count > 0)
            throw new ModelFormatException(
                $"{what} keeps {external.Count} initializer(s) in external files ({List(external)}); the kit needs one self-contained file. " +
                "Re-save it with the weights inside (onnx.save_model(..., save_as_external_data=False)).");

        CheckProducers(graph, initializers, what);
    }

    private static void CheckOpsets(ModelProto model, string what)
    {
        if (model.OpsetImport.Count == 0)
            throw new ModelFormatException($"{what} declares no opset import, so its operators have no defined meaning (or the file was cut short). " +
                $"Re-export it with an opset in {SupportedOpsets.Range}.");
        if (model.OpsetImport.GroupBy(o => o.Domain == "ai.onnx" ? "" : o.Domain).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ModelFormatException($"{what} imports domain '{(twice.Key.Length == 0 ? "ai.onnx" : twice.Key)}' {twice.Count()} times " +
                $"(versions {string.Join(", ", twice.Select(o => o.Version))}); a model imports each domain once. Re-export it.");
        var onnx = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (onnx is null)
        {
            if (model.Graph.Node.Any(n => n.Domain is "" or "ai.onnx"))
                throw new ModelFormatException($"{what} uses standard ONNX operators but imports no default-domain opset. Re-export it with an opset in {SupportedOpsets.Range}.");
            return;
        }
        if (onnx.Version is < SupportedOpsets.Min or > SupportedOpsets.Max)
            throw new ModelFormatException(
                $"{what} uses ONNX opset {onnx.Version}; ONNX Runtime 1.31 supports opsets {SupportedOpsets.Range}. " +
                $"Re-export it with an opset in that range (e.g. opset 17{(onnx.Version < SupportedOpsets.Min ? ", or convert it with onnx.version_converter" : "")}).");
    }

    /// <summary>Every tensor a top-level node reads, and every graph output, must be a graph input, an initializer or some node's output.</summary>
    private static void CheckProducers(GraphProto graph, HashSet<string> initializers, string what)
    {
        var produced = new HashSet<string>(initializers);
        produced.UnionWith(graph.Input.Select(i => i.Name));
        produced.UnionWith(graph.Node.SelectMany(n => n.Output));

        var missing = graph.Node
            .SelectMany(n => n.Input.Where(i => i.Length > 0 && !produced.Contains(i)) // "" marks an omitted optional input
                .Select(i => $"node '{NodeName(n)}' ({n.OpType}) reads '{i}'"))
            .Concat(graph.Output.Where(o => !produced.Contains(o.Name)).Select(o => $"graph output '{o.Name}'"))
            .ToList();
        if (missing.Count > 0)
            throw new ModelFormatException(
                $"{what} is incomplete: {List(missing)} — but no node, graph input or initializer produces {(missing.Count == 1 ? "that tensor" : "those tensors")}. " +
                "Most likely an initializer (weights) is missing: re-export the model with its weights included.");
    }

    internal static string NodeName(NodeProto node) => node.Name.Length > 0 ? node.Name : $"{node.OpType} → {string.Join(",", node.Output)}";

    private static string List(IReadOnlyList<string> items) =>
        string.Join("; ", items.Take(MaxNamesListed)) + (items.Count > MaxNamesListed ? $"; and {items.Count - MaxNamesListed} more" : "");

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
