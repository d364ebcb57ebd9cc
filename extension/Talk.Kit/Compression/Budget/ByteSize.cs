using System.Globalization;
using System.Text.RegularExpressions;

namespace Talk.Kit.Compression.Budget;

/// <summary>
/// Sizes as people write them: "10MB", "27 KB", "1.5 GB", "512KiB". KB/MB/GB are decimal (10^3, 10^6, 10^9 bytes), as
/// app stores and the paper use them; KiB/MiB/GiB are binary.
/// </summary>
public static partial class ByteSize
{
    /// <summary>Bytes of a size such as "10MB".</summary>
    /// <exception cref="FormatException">Not a positive number followed by B, KB, MB, GB, KiB, MiB or GiB.</exception>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = SizePattern().Match(text.Trim());
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value <= 0)
            throw new FormatException($"'{text}' is not a size; write a positive number and a unit, e.g. 10MB, 500KB, 1.5GB or 64MiB.");
        double unit = m.Groups[2].Value.ToUpperInvariant() switch
        {
            "B" => 1,
            "KB" => 1e3, "MB" => 1e6, "GB" => 1e9,
            "KIB" => 1024, "MIB" => 1024 * 1024, "GIB" => 1024.0 * 1024 * 1024,
            _ => throw new FormatException($"'{m.Groups[2].Value}' is not a unit; use B, KB, MB, GB, KiB, MiB or GiB."),
        };
        double bytes = Math.Round(value * unit);
        if (bytes < 1 || bytes > long.MaxValue / 2)
            throw new FormatException($"'{text}' is out of range; sizes are from 1 B to many GB.");
        return (long)bytes;
    }

    /// <summary>"26.5 KB", "44.7 MB": decimal units, three significant digits.</summary>
    public static string Format(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} B",
        < 1_000_000 => Scaled(bytes / 1e3, "KB"),
        < 1_000_000_000 => Scaled(bytes / 1e6, "MB"),
        _ => Scaled(bytes / 1e9, "GB"),
    };

    private static string Scaled(double value, string unit) =>
        (value < 10 ? value.ToString("0.00", CultureInfo.InvariantCulture) : value < 100 ? value.ToString("0.0", CultureInfo.InvariantCulture)
            : value.ToString("0", CultureInfo.InvariantCulture)) + " " + unit;

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]+)$")]
    private static partial Regex SizePattern();
}
