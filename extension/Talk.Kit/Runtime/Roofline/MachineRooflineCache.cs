using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Talk.Kit.Runtime.Roofline;

/// <summary>
/// Measured rooflines kept between sessions: one JSON file per machine under <c>&lt;cache root&gt;/roofline/</c>, named by a hash
/// of what the numbers depend on (CPU model, physical cores, SIMD features, ONNX Runtime version). Writes are atomic.
/// </summary>
/// <param name="root">The cache root (see <see cref="KitCacheFolder.Root"/>).</param>
public sealed class MachineRooflineCache(string root)
{
    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    /// <summary>The cache root this instance uses.</summary>
    public string Root { get; } = root;

    /// <summary>The cache at <see cref="KitCacheFolder.Root"/>, read from the environment now.</summary>
    public static MachineRooflineCache Default => new(KitCacheFolder.Root);

    /// <summary>First 16 hex digits of SHA-256("roofline-v2|model|cores|features|ort"); the "v1" changes when the record's meaning does.</summary>
    // v2: roofs at the fastest-decile latency instead of the median (older cache files are measured again).
    public static string KeyOf(MachineInfo machine, string onnxRuntimeVersion)
    {
        ArgumentNullException.ThrowIfNull(machine);
        string text = $"roofline-v2|{machine.CpuModel}|{machine.PhysicalCores}|{string.Join(",", machine.SimdFeatures)}|{onnxRuntimeVersion}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The file of a key (it may not exist).</summary>
    public string PathOf(string key) => Path.Combine(Root, "roofline", $"machine-{key}.json");

    /// <summary>The cached roofline of <paramref name="key"/>, or null if absent or unreadable (a damaged file is a miss, then overwritten).</summary>
    public MachineRoofline? TryLoad(string key)
    {
        string path = PathOf(key);
        if (!File.Exists(path)) return null;
        try
        {
            var roofline = JsonSerializer.Deserialize<MachineRoofline>(File.ReadAllText(path), json);
            return roofline?.CacheKey == key ? roofline : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="roofline"/> under its <see cref="MachineRoofline.CacheKey"/>; returns the file written.</summary>
    public string Save(MachineRoofline roofline)
    {
        ArgumentNullException.ThrowIfNull(roofline);
        string path = PathOf(roofline.CacheKey);
        KitCacheFolder.WriteTextAtomically(path, JsonSerializer.Serialize(roofline, json));
        return path;
    }
}
