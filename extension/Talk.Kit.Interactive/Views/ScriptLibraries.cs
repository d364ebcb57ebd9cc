using System.Reflection;

namespace Talk.Kit.Interactive.Views;

/// <summary>
/// Third-party browser libraries the views need (embedded in this assembly from npm at build time), sent to the page
/// at most once per session: the first view that needs one carries it inline, later views reuse the global it
/// defines. Pages then work offline: executed notebooks, HTML handouts, air-gapped workshop rooms.
/// </summary>
internal static class ScriptLibraries
{
    /// <summary>plotly.js (npm plotly.js-dist-min): defines <c>window.Plotly</c>.</summary>
    public static readonly ScriptLibrary Plotly = new("plotly.min.js", "Plotly", "plotly.js v");

    /// <summary>Graphviz compiled to WebAssembly (npm @viz-js/viz): defines <c>window.Viz</c>.</summary>
    public static readonly ScriptLibrary Viz = new("viz-global.js", "Viz", "Viz.js ");

    /// <summary>Forget what was sent (tests; a new page).</summary>
    public static void Reset()
    {
        Plotly.Reset();
        Viz.Reset();
    }
}

/// <summary>One embedded library: its resource name, the global it defines, and the marker before its version in the file header.</summary>
internal sealed class ScriptLibrary(string resource, string global, string versionMarker)
{
    private int sent;
    private readonly Lazy<string> source = new(() => Read(resource));

    /// <summary>The JavaScript global the library defines, e.g. "Plotly".</summary>
    public string Global => global;

    /// <summary>The library's version, read from its header comment.</summary>
    public string Version => source.Value.IndexOf(versionMarker, StringComparison.Ordinal) is int i and >= 0
        ? source.Value[(i + versionMarker.Length)..].Split('\n', 2)[0].Trim() : "unknown";

    /// <summary>A script tag with the library the first time in a session, then "".</summary>
    public string OncePerSession() => Interlocked.Exchange(ref sent, 1) == 0 ? Inline() : "";

    public void Reset() => Interlocked.Exchange(ref sent, 0);

    // Hiding define/module/exports makes UMD bundles set their window global even where require.js (AMD) is
    // on the page, as in classic Jupyter; "</script" inside the code would end the tag early.
    private string Inline() =>
        "<script type=\"text/javascript\">(function () { var define, module, exports;\n" +
        source.Value.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) +
        "\n}).call(window);</script>";

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in Talk.Kit.Interactive: rebuild the kit (npm ci runs during the build).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
