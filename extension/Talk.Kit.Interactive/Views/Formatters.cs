using Microsoft.DotNet.Interactive.Formatting;

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
    }

    private static void Add<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), "text/html");
        Formatter.Register<T>((value, writer) => writer.Write(text(value)), "text/plain");
        Formatter.Register<T>((value, writer) => writer.Write(Json.Serialize(value)), "application/json");
    }
}
