using System.Net;
using System.Text;

namespace Talk.Kit.Interactive.Views;

/// <summary>Tiny HTML helpers for report views: encoded text, tables, key/value lists. Styles are inline so pages stand alone.</summary>
internal static class Html
{
    public const string TableStyle = "border-collapse:collapse;margin:4px 0 12px 0;font-size:13px";
    private const string CellStyle = "border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top";

    public static string Encode(object? value) => WebUtility.HtmlEncode(value?.ToString() ?? "");

    public static string Heading(string text, int level = 3) => $"<h{level} style=\"margin:10px 0 4px 0\">{Encode(text)}</h{level}>";

    public static string Paragraph(string text) => $"<p style=\"margin:4px 0\">{Encode(text)}</p>";

    /// <summary>A table; cells are encoded unless wrapped in <see cref="Raw"/>.</summary>
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var html = new StringBuilder($"<table style=\"{TableStyle}\"><thead><tr>");
        foreach (var h in headers) html.Append($"<th style=\"{CellStyle};background:#f4f4f4\">{Encode(h)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append($"<td style=\"{CellStyle}\">{(cell is Raw raw ? raw.Html : Encode(cell))}</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Two-column table of facts.</summary>
    public static string Facts(IEnumerable<(string Key, object? Value)> facts) =>
        Table(["", ""], facts.Select(f => (IReadOnlyList<object?>)[new Raw($"<b>{Encode(f.Key)}</b>"), f.Value]));

    public static string Code(string text) => $"<code>{Encode(text)}</code>";

    /// <summary>Already-safe HTML to put in a table cell as it is.</summary>
    public sealed record Raw(string Html);
}
