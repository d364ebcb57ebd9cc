using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Talk.Kit.Runtime.Numerics;

/// <summary>
/// Probe results kept between sessions: one JSON file per (machine, library, case set) under
/// <c>&lt;cache root&gt;/numerics/</c>. A damaged or foreign file is a miss; writes are atomic.
/// </summary>
public sealed class ConvNumericsCache(string root)
{
    private static readonly JsonSerializerOptions json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a wrong result can be NaN
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The cache root this instance uses.</summary>
    public string Root { get; } = root;

    /// <summary>The cache at <see cref="KitCacheFolder.Root"/>.</summary>
    public static ConvNumericsCache Default => new(KitCacheFolder.Root);

    /// <summary>First 16 hex digits of SHA-256 over what the verdict depends on: machine, library, cases, tolerance.</summary>
    // v1: the first probe (forward, weight and input gradients; routes Default, ChannelsLast, WithoutOneDnn).
    public static string KeyOf(string machineKey, string library, IReadOnlyList<ConvCase> cases, double tolerance)
    {
        string text = $"conv-numerics-v1|{machineKey}|{library}|{tolerance:R}|{string.Join(";", cases.Select(c => $"{c.Batch},{c.InChannels},{c.OutChannels},{c.Kernel},{c.Stride},{c.Padding},{c.Groups},{c.Height},{c.Width}"))}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The file of a key (it may not exist).</summary>
    public string PathOf(string key) => Path.Combine(Root, "numerics", $"conv-{key}.json");

    /// <summary>The stored report, or null if absent, unreadable or for another machine.</summary>
    public ConvNumericsReport? TryLoad(string key, string machineKey)
    {
        string path = PathOf(key);
        if (!File.Exists(path)) return null;
        try
        {
            var report = JsonSerializer.Deserialize<ConvNumericsReport>(File.ReadAllText(path), json);
            return report is not null && report.MachineKey == machineKey && report.Checks is { Count: > 0 } ? report : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="report"/> under <paramref name="key"/>; returns the file written.</summary>
    public string Save(string key, ConvNumericsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string path = PathOf(key);
        KitCacheFolder.WriteTextAtomically(path, JsonSerializer.Serialize(report, json));
        return path;
    }
}
