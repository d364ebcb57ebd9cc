using System.Globalization;

namespace Talk.Kit.Interactive.Views;

/// <summary>Number formats shared by the views (invariant culture: the same text on every machine).</summary>
internal static class Format
{
    private static readonly CultureInfo inv = CultureInfo.InvariantCulture;

    /// <summary>Bytes in B, KB, MB or GB in powers of 1024 (binary, as many file managers show them). App-store limits and
    /// the Deep Compression paper use decimal units: <see cref="Compression.Budget.ByteSize.Format"/>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", inv) + " KB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.00", inv) + " MB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", inv) + " GB",
    };

    /// <summary>Large counts with SI suffixes: 61.7 k, 416.5 k, 1.82 G.</summary>
    public static string Count(long n) => n switch
    {
        < 10_000 => n.ToString("N0", inv),
        < 10_000_000 => (n / 1e3).ToString("0.0", inv) + " k",
        < 10_000_000_000 => (n / 1e6).ToString("0.00", inv) + " M",
        _ => (n / 1e9).ToString("0.00", inv) + " G",
    };

    public static string Percent(double fraction, int decimals = 1) => (fraction * 100).ToString("F" + decimals, inv) + "%";

    public static string Number(double value, string format = "0.00") => value.ToString(format, inv);

    /// <summary>A latency ratio (new / old) in words: "1.81× faster" below 1, "1.65× slower" otherwise.</summary>
    public static string Speed(double ratio) => ratio < 1 ? $"{Number(1 / ratio)}× faster" : $"{Number(ratio)}× slower";
}
