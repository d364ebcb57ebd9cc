using Onnx;

namespace Talk.Kit.Runtime;

/// <summary>
/// Peak bytes of activations alive at once when the nodes run one after another in graph order: a tensor lives
/// from the node that makes it (graph inputs: from the start) to its last reader (graph outputs: to the end).
/// During a node both its inputs and its outputs are alive. No in-place reuse or aliasing is assumed, so
/// this is an upper bound on what a runtime's memory planner needs for activations (weights not included).
/// </summary>
internal static class ActivationMemory
{
    public static long Peak(GraphProto graph, IReadOnlyCollection<string> feeds, Func<string, long> bytesOf)
    {
        var activations = new HashSet<string>(feeds); // initializers are weights, not activations
        activations.UnionWith(graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0));
        var lastUse = new Dictionary<string, int>();
        for (int i = 0; i < graph.Node.Count; i++)
            foreach (string name in graph.Node[i].Input)
                lastUse[name] = i;
        foreach (var output in graph.Output)
            lastUse[output.Name] = graph.Node.Count; // kept to the end

        long live = feeds.Sum(bytesOf), peak = live;
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            var made = node.Output.Where(o => o.Length > 0).ToList();
            live += made.Sum(bytesOf);
            peak = Math.Max(peak, live);
            live -= node.Input.Distinct().Where(n => activations.Contains(n) && lastUse[n] == i).Sum(bytesOf); // read for the last time
            live -= made.Where(o => !lastUse.ContainsKey(o)).Sum(bytesOf);                                       // never read
        }
        return peak;
    }
}
