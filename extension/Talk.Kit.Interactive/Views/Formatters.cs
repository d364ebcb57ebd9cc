using Microsoft.DotNet.Interactive.Formatting;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Interactive.Views;

/// <summary>
/// Registers the three forms of every report: text/html (notebooks), text/plain (terminals), application/json (programs).
/// The Formatter is global static state: register once per process.
/// </summary>
internal static class Formatters
{
    /// <summary>The MIME types every report is displayed with.</summary>
    public static readonly string[] ReportMimeTypes = ["text/html", "text/plain", "application/json"];

    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        Add<KitReport>(KitReportView.ToHtml, KitReportView.ToText);
        Add<ZooReport>(ModelViews.ZooHtml, ModelViews.ZooText);
        Add<LoadReport>(ModelViews.LoadHtml, ModelViews.LoadText);
        Add<ShowReport>(ModelViews.ShowHtml, ModelViews.ShowText);
        Add<TrainReport>(ModelViews.TrainHtml, ModelViews.TrainText);
        Add<EvalReport>(ModelViews.EvalHtml, ModelViews.EvalText);
        // A dataset's JSON is its description, not its 47 MB of pixels.
        Add<Runtime.Profiling.ProfileReport>(ProfileViews.ToHtml, ProfileViews.ToText);
        Add<FuseReport>(FuseViews.ToHtml, FuseViews.ToText, FuseViews.Json);
        Add<QuantizeReport>(QuantizeViews.ToHtml, QuantizeViews.ToText, QuantizeViews.Json);
        Add<SensitivityMagicReport>(PruneViews.SensitivityHtml, PruneViews.SensitivityText, PruneViews.SensitivityJson);
        Add<PruneReport>(PruneViews.PruneHtml, PruneViews.PruneText, PruneViews.PruneJson);
        Add<CompressReport>(CompressViews.ToHtml, CompressViews.ToText, CompressViews.Json);
        Add<Data.FashionMnistData>(DataViews.FashionHtml, DataViews.FashionText, d => new
        {
            d.Kind, d.Location, Train = d.Train.Count, Test = d.Test.Count, d.Train.ClassNames, TrainPerClass = d.Train.ClassCounts(),
            Normalization = new { Data.Normalization.Mean, Data.Normalization.Std },
        });
    }

    /// <param name="json">What the JSON form shows; default: the record itself.</param>
    private static void Add<T>(Func<T, string> html, Func<T, string> text, Func<T, object>? json = null)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), "text/html");
        Formatter.Register<T>((value, writer) => writer.Write(text(value)), "text/plain");
        Formatter.Register<T>((value, writer) => writer.Write(json is null ? Json.Serialize(value) : Json.Serialize(json(value))), "application/json");
    }
}
