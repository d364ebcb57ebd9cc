using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Talk.Kit.Runtime;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>
/// Evaluates, once and ahead of time, every node whose inputs are all constants, and replaces it by an initializer
/// holding its result; Constant nodes become initializers too. ONNX Runtime does the arithmetic, so every operator
/// it knows folds exactly as it would run.
/// </summary>
/// <remarks>
/// <code>
/// Before:  w[6,4] ─► Reshape(s = [4,6]) ─► Transpose ─► wᵀ ─► MatMul(x, wᵀ)      c = Constant(value)
/// After:   wᵀ (an initializer, computed once) ─────────────► MatMul(x, wᵀ)      c (an initializer)
/// </code>
/// f(c₁, …, cₙ) with constant cᵢ is a constant: a model with the one node, its inputs as initializers, is run in
/// an ORT_DISABLE_ALL session and each output becomes an initializer of the same name (readers keep their input
/// names). Folds default-domain nodes only; never nondeterministic ones (RandomNormal, Multinomial, …), nodes with
/// subgraphs, nodes writing a graph output, or inputs that are also graph inputs (a caller may override those).
/// An output with more than <see cref="MaxElements"/> elements, a string tensor, or a node ORT refuses stays as it
/// was. Nodes are visited in order, so a chain of constant nodes folds in one application.
/// Reference: ONNX Runtime's ConstantFolding graph transformer (a level 1 optimization).
/// </remarks>
public sealed class ConstantFolding : IGraphPass
{
    /// <summary>Largest result folded, in elements (16 M: 64 MB of float32): bigger constants would bloat the file.</summary>
    public const long MaxElements = 16L << 20;

    private static readonly HashSet<string> Nondeterministic =
        ["RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout"];

    public string Name => "fold-constants";

    public string Description => "A node whose inputs are all constants is evaluated once and becomes an initializer.";

    /// <summary>A deterministic default-domain node that reads only initializers and writes no graph output.</summary>
    public static bool Matches(GraphProto graph, NodeProto node) =>
        node.Domain is "" or "ai.onnx"
        && !Nondeterministic.Contains(node.OpType)
        && node.Output.Count > 0 && node.Output.All(o => o.Length > 0 && !IsGraphOutput(graph, o))
        && node.Attribute.All(a => a.G is null && a.Graphs.Count == 0)
        && node.Input.All(i => i.Length == 0 || Initializer(graph, i) is not null && !IsGraphInput(graph, i));

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        foreach (var node in graph.Node.ToList())
            if (Matches(graph, node) && Evaluate(model, node) is { } results)
                Rewrite(graph, node, results, changes);
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto node, IReadOnlyList<TensorProto> results, List<PassChange> changes)
    {
        graph.Node.Remove(node);
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(node), $"{node.OpType} of constants, evaluated once"));
        foreach (var tensor in results)
        {
            graph.Initializer.Add(tensor);
            changes.Add(new(PassChangeKind.InitializerAdded, tensor.Name, $"result of {node.OpType} {NameOf(node)} [{string.Join(",", tensor.Dims)}]"));
        }
        foreach (string input in node.Input.Where(i => i.Length > 0).Distinct())
            if (RemoveIfUnused(graph, input))
                changes.Add(new(PassChangeKind.InitializerRemoved, input, "no reader left after folding"));
    }

    /// <summary>Runs <paramref name="node"/> alone in ONNX Runtime; its outputs as initializers, or null when it cannot be folded.</summary>
    private static List<TensorProto>? Evaluate(ModelProto model, NodeProto node)
    {
        var single = new ModelProto { IrVersion = model.IrVersion, OpsetImport = { model.OpsetImport }, Graph = new GraphProto { Name = "fold", Node = { node.Clone() } } };
        foreach (string input in node.Input.Where(i => i.Length > 0).Distinct())
            single.Graph.Initializer.Add(Initializer(model.Graph, input)!.Clone());
        foreach (string output in node.Output)
            single.Graph.Output.Add(new ValueInfoProto { Name = output });
        try
        {
            using var session = Ort.CreateSession(single.ToByteArray(), threads: 1, GraphOptimizationLevel.ORT_DISABLE_ALL);
            using var runOptions = new RunOptions();
            using var values = session.Run(runOptions, Array.Empty<string>(), Array.Empty<OrtValue>(), node.Output.ToArray());
            var results = new List<TensorProto>();
            for (int i = 0; i < values.Count; i++)
            {
                if (!values[i].IsTensor)
                    return null;
                var info = values[i].GetTensorTypeAndShape();
                if (info.ElementDataType == TensorElementType.String || info.ElementCount > MaxElements)
                    return null;
                var tensor = new TensorProto { Name = node.Output[i], DataType = (int)info.ElementDataType, RawData = ByteString.CopyFrom(values[i].GetTensorMutableRawData()) };
                tensor.Dims.AddRange(info.Shape);
                results.Add(tensor);
            }
            return results;
        }
        catch (OnnxRuntimeException)
        {
            return null;                                 // ORT cannot evaluate it on its own: leave the node
        }
    }
}
