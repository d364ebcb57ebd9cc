namespace Talk.Kit.Runtime.Benchmarking;

/// <summary>
/// Peak resident memory of this process, from Linux's <c>/proc/self/status</c> (VmHWM, the high-water mark of
/// VmRSS), which writing "5" to <c>/proc/self/clear_refs</c> resets to the current RSS (Documentation/filesystems/proc.rst).
/// Elsewhere, or where the reset is not allowed, measurements are null rather than wrong.
/// </summary>
internal static class PeakMemory
{
    /// <summary>Runs <paramref name="work"/> and returns how far the peak RSS rose above the RSS before it, in bytes.</summary>
    public static long? GrowthDuring(Action work)
    {
        if (!TryReset()) { work(); return null; }
        long? before = Read("VmRSS:");
        work();
        long? peak = Read("VmHWM:");
        return before is { } b && peak is { } p ? Math.Max(0, p - b) : null;
    }

    private static bool TryReset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // "VmHWM:	  123456 kB"
    private static long? Read(string key)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        var parts = line?.Split(' ', '\t').Where(p => p.Length > 0).ToArray();
        return parts is { Length: >= 2 } && long.TryParse(parts[1], out long kb) ? kb * 1024 : null;
    }
}
