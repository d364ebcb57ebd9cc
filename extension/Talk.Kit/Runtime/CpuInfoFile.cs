using System.Globalization;

namespace Talk.Kit.Runtime;

/// <summary>The few facts the kit reads from Linux's <c>/proc/cpuinfo</c>.</summary>
/// <param name="Signature">x86 family, model and stepping, e.g. "family 26 model 2 stepping 1" (the model name alone,
/// "AMD EPYC" under a hypervisor, does not tell CPU generations apart); null when not listed.</param>
internal sealed record CpuInfoFile(string? ModelName, int? PhysicalCores, double? ClockMHz, IReadOnlySet<string> Flags, string? Signature = null)
{
    public static CpuInfoFile? TryRead(string path = "/proc/cpuinfo") =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : null;

    /// <summary>Parses the "key : value" blocks, one per logical CPU.</summary>
    public static CpuInfoFile Parse(string text)
    {
        string? model = null, family = null, modelNumber = null, stepping = null;
        double? mhz = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<(string Package, string Core)>();
        string package = "0";
        foreach (var raw in text.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0) continue;
            string key = raw[..colon].Trim(), value = raw[(colon + 1)..].Trim();
            switch (key)
            {
                case "model name": model ??= value; break;
                case "cpu family": family ??= value; break;
                case "model": modelNumber ??= value; break;
                case "stepping": stepping ??= value; break;
                case "cpu MHz" when mhz is null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v): mhz = v; break;
                case "flags" when flags.Count == 0: flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
                case "physical id": package = value; break;
                case "core id": cores.Add((package, value)); break; // "physical id" precedes "core id" in each block
            }
        }
        string? signature = family is null && modelNumber is null ? null : $"family {family ?? "?"} model {modelNumber ?? "?"} stepping {stepping ?? "?"}";
        return new CpuInfoFile(model, cores.Count > 0 ? cores.Count : null, mhz, flags, signature);
    }
}
