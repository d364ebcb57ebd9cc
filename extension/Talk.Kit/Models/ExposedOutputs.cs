using Onnx;

namespace Talk.Kit.Models;

/// <summary>Makes intermediate tensors graph outputs, so one run of a copy of the model returns them (probing, calibration, per-layer errors).</summary>
public static class ExposedOutputs
{
    /// <summary>
    /// Adds each named tensor as a graph output unless it is one already ("" marks an omitted optional output and is
    /// skipped). A name alone is enough: ONNX Runtime infers the output's type and shape.
    /// </summary>
    public static void Add(GraphProto graph, IEnumerable<string> tensors)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var exposed = graph.Output.Select(o => o.Name).ToHashSet();
        foreach (string name in tensors)
            if (name.Length > 0 && exposed.Add(name))
                graph.Output.Add(new ValueInfoProto { Name = name });
    }
}
