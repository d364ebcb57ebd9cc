using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Interactive.Views;

/// <summary>
/// A progress line with a bar that updates in place (Jupyter replaces a displayed value on update; some hosts
/// append), throttled so a fast loop does not flood the front end. Engine progress records are adapted with
/// <see cref="For{T}"/>.
/// </summary>
internal sealed class ProgressView
{
    private readonly DisplayedValue display;
    private readonly string title;
    private readonly Stopwatch sinceUpdate = Stopwatch.StartNew();

    public ProgressView(KernelInvocationContext context, string title)
    {
        this.title = title;
        display = context.Display(Render("starting…", 0), "text/html", "text/plain");
    }

    /// <summary>Shows <paramref name="text"/> and a bar at <paramref name="fraction"/> (0–1); at most 5 updates a second unless final.</summary>
    public void Report(string text, double fraction, bool force = false)
    {
        if (!force && fraction < 1 && sinceUpdate.ElapsedMilliseconds < 200) return;
        sinceUpdate.Restart();
        display.Update(Render(text, fraction));
    }

    /// <summary>An engine progress sink that renders each report with <paramref name="describe"/>.</summary>
    public IProgress<T> For<T>(Func<T, (string Text, double Fraction)> describe) => new Sink<T>(value =>
    {
        var (text, fraction) = describe(value);
        Report(text, fraction);
    });

    /// <summary>Benchmark progress: phase and rounds.</summary>
    public IProgress<BenchmarkProgress> ForBenchmark() =>
        For<BenchmarkProgress>(p => ($"{p.Phase} {p.Completed}/{p.Total}", p.Total == 0 ? 1 : (double)p.Completed / p.Total));

    /// <summary>Replaces the progress line with a final word.</summary>
    public void Done(string message) => Report(message, 1, force: true);

    private PocketView Render(string text, double fraction) =>
        PocketViewTags.div(
            PocketViewTags.span[style: "font-family:system-ui,sans-serif;font-size:13px"]($"{title}: {text} "),
            PocketViewTags.progress[value: fraction.ToString("0.00", CultureInfo.InvariantCulture), max: "1", style: "width:200px;vertical-align:middle"]());

    // Synchronous (unlike Progress<T>, which posts to a synchronization context that a kernel thread may not pump).
    private sealed class Sink<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
