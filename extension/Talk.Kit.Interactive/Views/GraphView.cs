using System.Text;
using System.Text.Json;

namespace Talk.Kit.Interactive.Views;

/// <summary>A node of a graph view: an operator with its shapes, or a graph input/output.</summary>
/// <param name="Id">Unique id (any text; the view makes DOT-safe ids itself).</param>
/// <param name="Op">Operator type, e.g. "Conv"; "input"/"output" for the graph's ends.</param>
/// <param name="Name">Node or tensor name.</param>
/// <param name="Detail">Second line under the op, e.g. the output shape.</param>
/// <param name="Tooltip">Shown on hover: parameters, MACs, …</param>
/// <param name="Highlight">Drawn with a thick red border (e.g. a node a pass created).</param>
internal sealed record GraphNode(string Id, string Op, string Name, string Detail, string Tooltip, bool Highlight = false);

/// <summary>A tensor flowing from one node to another, labelled with its shape and size.</summary>
internal sealed record GraphEdge(string From, string To, string Label, string Tooltip);

/// <summary>
/// Renders a dataflow graph as an interactive SVG drawn in the page by Graphviz (compiled to WebAssembly, embedded
/// once per session, so it works offline): hover a node or edge for details, zoom with the buttons or Ctrl+wheel,
/// scroll to pan.
/// </summary>
internal static class GraphView
{
    // Fill colours by operator family, so a reader sees convolutions, matrix products, normalisation and so on at a glance.
    private static readonly (string[] Ops, string Colour)[] families =
    [
        (["Conv", "FusedConv", "QLinearConv", "ConvInteger"], "#cfe2f3"),
        (["Gemm", "MatMul", "FusedGemm", "QGemm", "MatMulInteger", "QLinearMatMul"], "#d9d2e9"),
        (["BatchNormalization", "LayerNormalization"], "#fce5cd"),
        (["Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish"], "#d9ead3"),
        (["MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"], "#f4cccc"),
        (["QuantizeLinear", "DequantizeLinear"], "#fff2cc"),
        (["input", "output"], "#ffffff"),
    ];

    /// <summary>The Graphviz DOT text of the graph.</summary>
    public static string ToDot(string title, IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
    {
        var ids = nodes.Select((n, i) => (n.Id, Dot: $"n{i}")).ToDictionary(p => p.Id, p => p.Dot);
        var dot = new StringBuilder();
        dot.AppendLine($"digraph \"{Escape(title)}\" {{");
        dot.AppendLine("  graph [rankdir=TB, nodesep=0.25, ranksep=0.35, fontname=\"Helvetica\"];");
        dot.AppendLine("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, margin=\"0.12,0.04\"];");
        dot.AppendLine("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#666666\", arrowsize=0.6];");
        foreach (var n in nodes)
        {
            bool end = n.Op is "input" or "output";
            string label = end ? $"{Escape(n.Name)}\\n{Escape(n.Detail)}" : $"{Escape(n.Op)}\\n{Escape(n.Name)}\\n{Escape(n.Detail)}";
            var attributes = new List<string>
            {
                $"label=\"{label}\"", $"tooltip=\"{Escape(n.Tooltip)}\"", $"fillcolor=\"{Colour(n.Op)}\"",
                end ? "shape=ellipse" : "",
                n.Highlight ? "color=\"#d62728\", penwidth=3" : "",
            };
            dot.AppendLine($"  {ids[n.Id]} [{string.Join(", ", attributes.Where(a => a.Length > 0))}];");
        }
        foreach (var e in edges.Where(e => ids.ContainsKey(e.From) && ids.ContainsKey(e.To)))
            dot.AppendLine($"  {ids[e.From]} -> {ids[e.To]} [label=\" {Escape(e.Label)}\", tooltip=\"{Escape(e.Tooltip)}\"];");
        return dot.AppendLine("}").ToString();
    }

    /// <summary>HTML that draws the graph in the page.</summary>
    public static string ToHtml(string title, IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, int maxHeightPx = 640)
    {
        string id = "talkkit-graph-" + Guid.NewGuid().ToString("N")[..12];
        string dot = JsonSerializer.Serialize(ToDot(title, nodes, edges));
        string button = "style=\"font-size:12px;margin-right:4px;padding:0 6px\"";
        return $$"""
            {{ScriptLibraries.Viz.OncePerSession()}}<div class="talkkit-graph-view" style="font-family:system-ui,sans-serif;font-size:12px">
              <div style="margin:2px 0"><button {{button}} data-zoom="1.25">+</button><button {{button}} data-zoom="0.8">−</button><button {{button}} data-zoom="0">fit</button>
              hover a node or an edge for details; Ctrl+wheel zooms</div>
              <div id="{{id}}" class="talkkit-graph" style="overflow:auto;max-height:{{maxHeightPx}}px;border:1px solid #ddd"></div>
            </div>
            <script type="text/javascript">
            (function () {
              var dot = {{dot}}, el = document.getElementById("{{id}}"), tries = 0, scale = 1, svg = null;
              function apply() { if (svg) { svg.style.width = (svg.viewBox.baseVal.width * scale) + "px"; svg.style.height = "auto"; } }
              function fit() { if (svg) { scale = Math.min(1.5, Math.max(0.2, (el.clientWidth - 8) / svg.viewBox.baseVal.width)); apply(); } }
              function draw() {
                Viz.instance().then(function (viz) {
                  svg = viz.renderSVGElement(dot);
                  svg.removeAttribute("width"); svg.removeAttribute("height");
                  el.appendChild(svg); fit();
                });
              }
              el.parentNode.querySelectorAll("button[data-zoom]").forEach(function (b) {
                b.onclick = function () { var z = parseFloat(b.getAttribute("data-zoom")); if (z === 0) fit(); else { scale *= z; apply(); } };
              });
              el.addEventListener("wheel", function (e) { if (e.ctrlKey) { e.preventDefault(); scale *= e.deltaY < 0 ? 1.1 : 0.9; apply(); } }, { passive: false });
              (function wait() {
                if (window.Viz) { draw(); }
                else if (++tries < 100) { setTimeout(wait, 50); }
                else { el.textContent = "The graph library is not loaded on this page: run the cell again (the kit sends it with the first graph)."; }
              })();
            })();
            </script>
            """;
    }

    private static string Colour(string op) => families.FirstOrDefault(f => f.Ops.Contains(op)).Colour ?? "#eeeeee";

    // DOT double-quoted strings: escape backslash and quote; newlines become \n line breaks.
    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
