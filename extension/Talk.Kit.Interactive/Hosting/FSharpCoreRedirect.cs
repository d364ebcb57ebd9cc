using System.Reflection;

namespace Talk.Kit.Interactive.Hosting;

/// <summary>
/// The notebook host ships FSharp.Core 10.0.0.0 while Plotly.NET asks for 10.1.0.0: without help the first
/// chart dies with a FileNotFoundException (../shared/PLATFORM.md). This answers such a request with the
/// copy the host already loaded. Install it before any Plotly type is touched.
/// </summary>
internal static class FSharpCoreRedirect
{
    private static int installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        if (new AssemblyName(args.Name).Name != "FSharp.Core")
            return null;
        // Any loaded FSharp.Core will do: Plotly.NET only uses APIs present in both.
        return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core");
    }
}
