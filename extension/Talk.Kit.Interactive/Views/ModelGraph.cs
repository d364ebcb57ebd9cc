using Talk.Kit.Runtime;

namespace Talk.Kit.Interactive.Views;

/// <summary>The dataflow graph of a <see cref="ModelSummary"/>: nodes with op and output shape, edges with tensor shape and size.</summary>
internal static class ModelGraph
{
    public static string ToHtml(ModelSummary s, ISet<string>? highlight = null)
    {
        var nodes = new List<GraphNode>();
        var edges = new List<GraphEdge>();
        var producer = new Dictionary<string, string>(); // tensor name → graph node id
        foreach (var input in s.Inputs)
        {
            nodes.Add(new GraphNode("in:" + input.Name, "input", input.Name, input.Shape.ToString(), input.ToString()));
            producer[input.Name] = "in:" + input.Name;
        }
        foreach (var n in s.Nodes)
        {
            string id = "node:" + n.Index;
            string shape = string.Join(" ", n.OutputShapes.Select(x => x?.ToString() ?? "?"));
            string tip = $"{n.OpType} {n.Name}\nparams {n.Parameters:N0} ({Format.Bytes(n.WeightBytes)})\nMACs {n.Macs:N0}, FLOPs {n.Flops:N0}\noutputs {Format.Bytes(n.ActivationBytes)}";
            nodes.Add(new GraphNode(id, n.OpType, n.Name, shape, tip, highlight?.Contains(n.Name) == true));
            foreach (var input in n.Inputs)
                if (input is not null && producer.TryGetValue(input.Name, out var from))
                    edges.Add(Edge(from, id, input));
            foreach (var output in n.Outputs)
                if (output is not null) producer[output.Name] = id;
        }
        foreach (var output in s.Outputs)
        {
            nodes.Add(new GraphNode("out:" + output.Name, "output", output.Name, output.Shape.ToString(), output.ToString()));
            if (producer.TryGetValue(output.Name, out var from)) edges.Add(Edge(from, "out:" + output.Name, output));
        }
        return GraphView.ToHtml(s.ModelName, nodes, edges);
    }

    private static GraphEdge Edge(string from, string to, Models.ShapedTensor t) =>
        new(from, to, $"{t.Shape} {Format.Bytes(t.Bytes)}", t.ToString());
}
