using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Interactive.Views;

/// <summary>
/// A progress line that updates in place (Jupyter replaces a displayed value on update; some hosts append),
/// throttled so a fast loop does not flood the front end.
/// </summary>
internal sealed class ProgressView : IProgress<BenchmarkProgress>
{
    private readonly DisplayedValue display;
    private readonly string title;
    private readonly Stopwatch sinceUpdate = Stopwatch.StartNew();
    private string detail = "";

    public ProgressView(KernelInvocationContext context, string title)
    {
        this.title = title;
        display = context.Display(Render(title, "starting…", 0), "text/html", "text/plain");
    }

    /// <summary>Names the current step (e.g. "256×256").</summary>
    public void Step(string step) { detail = step; }

    public void Report(BenchmarkProgress value)
    {
        if (sinceUpdate.ElapsedMilliseconds < 200 && value.Completed < value.Total) return;
        sinceUpdate.Restart();
        double fraction = value.Total == 0 ? 1 : (double)value.Completed / value.Total;
        display.Update(Render(title, $"{detail} {value.Phase} {value.Completed}/{value.Total}", fraction));
    }

    /// <summary>Replaces the progress line with a final word.</summary>
    public void Done(string message) => display.Update(Render(title, message, 1));

    private static PocketView Render(string title, string text, double fraction) =>
        PocketViewTags.div(
            PocketViewTags.span[style: "font-family:system-ui,sans-serif;font-size:13px"]($"{title}: {text} "),
            PocketViewTags.progress[value: fraction.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), max: "1", style: "width:200px;vertical-align:middle"]());
}
