namespace Talk.Kit.Runtime;

/// <summary>
/// Where the kit keeps what it measured or trained between sessions, and how it writes there.
/// Location: <c>$TALKKIT_CACHE</c>, else <c>$XDG_CACHE_HOME/talkkit</c>, else <c>~/.cache/talkkit</c> (the same rule as the
/// trained-model cache, so one variable moves everything).
/// </summary>
public static class KitCacheFolder
{
    /// <summary>The cache root, read from the environment at each call (tests point it at a temporary folder).</summary>
    public static string Root
    {
        get
        {
            if (Environment.GetEnvironmentVariable("TALKKIT_CACHE") is { Length: > 0 } explicitRoot) return explicitRoot;
            string xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
                ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(xdg, "talkkit");
        }
    }

    /// <summary>Writes a cache file atomically (see <see cref="IO.AtomicFile"/>): a second process measuring at the same time never sees half a file.</summary>
    public static void WriteTextAtomically(string target, string text) => IO.AtomicFile.WriteAllText(target, text);
}
