using System.Globalization;
using System.Text.RegularExpressions;

namespace Talk.Kit.Interactive.Commands;

/// <summary>
/// Parses option values given as text, so that every bad value gets the kit's own one-line message saying what
/// to type instead (options are bound as strings; .NET Interactive's own JSON errors are not for learners).
/// </summary>
internal static partial class OptionParser
{
    /// <summary>A whole number within [min, max], or null when the option was not given.</summary>
    public static int? Int(string? text, string option, int min, int max, string example, List<string> errors)
    {
        if (text is null) return null;
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
            return value;
        errors.Add($"{option} must be a whole number from {min} to {max}, not '{text}'. Try: {example}");
        return null;
    }

    /// <summary>A comma-separated list of whole numbers within [min, max].</summary>
    public static IReadOnlyList<int>? IntList(string? text, string option, int min, int max, string example, List<string> errors)
    {
        if (text is null) return null;
        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            {
                errors.Add($"{option} takes whole numbers from {min} to {max} separated by commas, not '{text}'. Try: {example}");
                return null;
            }
            values.Add(v);
        }
        if (values.Count == 0) errors.Add($"{option} needs at least one value. Try: {example}");
        return values;
    }

    /// <summary>
    /// A number within [min, max], or null when not given. With <paramref name="asPercent"/>, "0.5%" means 0.005 and a bare
    /// number is taken as a fraction (0.005); otherwise the number is taken as written.
    /// </summary>
    public static double? Fraction(string? text, string option, double min, double max, bool asPercent, string example, List<string> errors)
    {
        if (text is null) return null;
        string t = text.Trim();
        bool percent = asPercent && t.EndsWith('%');
        if (double.TryParse(percent ? t[..^1] : t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (percent) value /= 100;
            if (value >= min && value <= max) return value;
        }
        string range = asPercent ? $"{min * 100:0.###}% to {max * 100:0.###}% (or a fraction such as 0.005)" : $"{min:0.####} to {max:0.####}";
        errors.Add($"{option} must be from {range}, not '{text}'. Try: {example}");
        return null;
    }

    /// <summary>A workspace name: letters, digits, '-', '_' or '.', starting with a letter.</summary>
    public static string? Name(string? text, string option, string example, List<string> errors)
    {
        if (text is null) return null;
        if (NamePattern().IsMatch(text)) return text;
        errors.Add($"{option} takes a name of letters, digits, '-', '_' or '.', starting with a letter, not '{text}'. Try: {example}");
        return null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
