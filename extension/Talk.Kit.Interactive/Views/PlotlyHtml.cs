using System.Runtime.CompilerServices;
using Plotly.NET;

namespace Talk.Kit.Interactive.Views;

/// <summary>
/// Turns a Plotly.NET chart into HTML that draws with no internet. Plotly.NET's own HTML loads plotly.js from a
/// CDN, so offline pages (handouts, air-gapped workshops) would show nothing: instead, the first chart of a
/// session embeds plotly.js (npm plotly.js-dist-min, embedded in this assembly) once, and every chart then
/// calls <c>Plotly.newPlot</c> with the figure's JSON.
/// </summary>
internal static class PlotlyHtml
{
    /// <summary>HTML for one chart. Kept out of line: Plotly types must not be resolved before the FSharp.Core redirect.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string ToHtml(GenericChart chart, int heightPx = 400)
    {
        string figure = GenericChart.toFigureJson(chart);
        string id = "talkkit-chart-" + Guid.NewGuid().ToString("N")[..12];
        string library = ScriptLibraries.Plotly.OncePerSession();
        // Wait for plotly.js briefly (another output may still be loading it); say so plainly if it never comes.
        return $$"""
            {{library}}<div id="{{id}}" class="talkkit-chart" style="width:100%;max-width:900px;min-height:{{heightPx}}px"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figure}};
              var el = document.getElementById("{{id}}"), tries = 0;
              // The height goes into the layout: a fixed-height div would let plotly's default 450 px spill over what follows.
              function draw() {
                var layout = Object.assign({}, figure.layout, { autosize: true, height: {{heightPx}} });
                window.Plotly.newPlot(el, figure.data, layout, { responsive: true, displaylogo: false });
              }
              (function wait() {
                if (window.Plotly) { draw(); }
                else if (++tries < 100) { setTimeout(wait, 50); }
                else { el.textContent = "plotly.js is not loaded on this page: run the cell again (the kit sends it with the first chart)."; }
              })();
            })();
            </script>
            """;
    }
}
