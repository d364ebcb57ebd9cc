using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace Talk.Kit.Training.Native;

/// <summary>What <see cref="TorchNativeFix.Apply"/> did with one copy of libLibTorchSharp.so.</summary>
public enum TorchNativeFixAction
{
    /// <summary>The system libstdc++ has every version the file needs; left unchanged.</summary>
    NotNeeded,
    /// <summary>The missing versions were marked weak (the file was rewritten).</summary>
    Patched,
    /// <summary>The missing versions were already weak; left unchanged.</summary>
    AlreadyPatched,
    /// <summary>No file at this place (TorchSharp would not load it from here either).</summary>
    NotFound,
    /// <summary>The file needs patching but could not be patched (see the reason).</summary>
    Failed,
}

/// <summary>One copy of libLibTorchSharp.so, what was done with it and why.</summary>
public sealed record TorchNativeFixFile(string Path, TorchNativeFixAction Action, string Reason);

/// <summary>The outcome of <see cref="TorchNativeFix.Apply"/>.</summary>
/// <param name="Summary">One line, e.g. "not needed (system libstdc++ has GLIBCXX_3.4.32)".</param>
/// <param name="LibStdCxxPath">The libstdc++.so.6 the versions were checked against, if found.</param>
/// <param name="MissingVersions">Versions libLibTorchSharp.so needs that the system libstdc++ lacks.</param>
/// <param name="Files">Every place TorchSharp may load libLibTorchSharp.so from.</param>
public sealed record TorchNativeFixReport(
    string Summary,
    string? LibStdCxxPath,
    IReadOnlyList<string> MissingVersions,
    IReadOnlyList<TorchNativeFixFile> Files)
{
    /// <summary>False if some copy needed patching and could not be patched.</summary>
    public bool Succeeded => Files.All(f => f.Action != TorchNativeFixAction.Failed);

    /// <summary>The summary, then one line per file.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("TorchNativeFix: ").AppendLine(Summary);
        foreach (var file in Files)
            text.Append("  ").Append(Label(file.Action).PadRight(16)).Append(file.Path).Append(": ").AppendLine(file.Reason);
        return text.ToString();
    }

    private static string Label(TorchNativeFixAction action) => action switch
    {
        TorchNativeFixAction.NotNeeded => "not needed",
        TorchNativeFixAction.Patched => "patched",
        TorchNativeFixAction.AlreadyPatched => "already patched",
        TorchNativeFixAction.NotFound => "not found",
        _ => "FAILED",
    };
}

/// <summary>
/// Makes TorchSharp's native library load on Linux systems whose libstdc++ is older than the one it was
/// built with (Debian 12 and the like). Call <see cref="Apply"/> before the first use of TorchSharp.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's libLibTorchSharp.so was linked with GCC 13 and needs the symbol version
/// GLIBCXX_3.4.32 from libstdc++.so.6. Debian 12 ships GCC 12's libstdc++ (up to GLIBCXX_3.4.30), so the
/// loader rejects the library and TorchSharp fails with DllNotFoundException / TypeInitializationException.
/// The only symbol behind that version is std::ios_base_library_init(), which GCC 13's &lt;iostream&gt;
/// references only to pull in the stream initialisation; no relocation uses it, so it is never looked up.
/// Marking that version need weak (VER_FLG_WEAK, see <see cref="ElfVersionNeeds"/>) lets glibc's loader
/// accept its absence. Before patching, this class checks that claim on the actual file: if a missing
/// version has a symbol that a relocation really uses, it refuses, because the program would then only
/// fail later, at the call. (Clearing the symbol's version, e.g. with patchelf --clear-symbol-version,
/// is not enough: the need itself stays and the loader still checks it.)
///
/// On systems whose libstdc++ already has the versions (Debian 13, Ubuntu 24.04) nothing is changed.
/// Files are replaced atomically (new file in the same folder, then rename), so a process that has the
/// old file mapped keeps working and a crash never leaves a half-written library behind.
///
/// This class must run before TorchSharp loads its natives, so it never calls into TorchSharp; it only
/// reads the location of TorchSharp.dll (typeof(torch) loads the type, not its static constructor).
/// </remarks>
public static class TorchNativeFix
{
    /// <summary>The file name of TorchSharp's native bridge on Linux.</summary>
    public const string LibraryName = "libLibTorchSharp.so";

    private static readonly object Gate = new();
    private static TorchNativeFixReport? s_report;

    /// <summary>
    /// Checks, and if needed patches, every copy of libLibTorchSharp.so TorchSharp might load. Never throws;
    /// problems are in the report. Thread-safe; after a successful run later calls return the same report
    /// at once (a failed run is retried, e.g. after fixing file permissions).
    /// </summary>
    public static TorchNativeFixReport Apply()
    {
        var done = Volatile.Read(ref s_report);
        if (done is not null)
            return done;
        lock (Gate)
        {
            if (s_report is not null)
                return s_report;
            TorchNativeFixReport report;
            try
            {
                report = OperatingSystem.IsLinux()
                    ? Run()
                    : new TorchNativeFixReport("not needed (not Linux)", null, [], []);
            }
            catch (Exception ex)
            {
                report = new TorchNativeFixReport($"FAILED: unexpected {ex.GetType().Name}: {ex.Message}", null, [], []);
            }
            if (report.Succeeded && !report.Summary.StartsWith("FAILED", StringComparison.Ordinal))
                Volatile.Write(ref s_report, report);
            return report;
        }
    }

    [SupportedOSPlatform("linux")]
    private static TorchNativeFixReport Run()
    {
        var candidates = CandidatePaths();
        if (!candidates.Any(File.Exists))
        {
            return new TorchNativeFixReport(
                $"nothing to do: no {LibraryName} found where TorchSharp loads it from",
                null, [], candidates.Select(NotFound).ToList());
        }

        var libstdcxx = LibStdCxx.Locate();
        if (libstdcxx is null)
        {
            return new TorchNativeFixReport(
                $"FAILED: {LibStdCxx.SoName} not found, so it is unknown whether {LibraryName} needs patching (install libstdc++6)",
                null, [], candidates.Select(p => File.Exists(p)
                    ? new TorchNativeFixFile(p, TorchNativeFixAction.Failed, $"{LibStdCxx.SoName} not found")
                    : NotFound(p)).ToList());
        }
        return Run(candidates, libstdcxx.Path, LibStdCxx.DefinedVersions(libstdcxx.Path));
    }

    /// <summary>
    /// The decision and the patching for given files against a given set of defined libstdc++ versions
    /// (separate from the probing, so tests can run it on scratch copies as if on another system).
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal static TorchNativeFixReport Run(IReadOnlyList<string> candidates, string libstdcxxPath, IReadOnlySet<string> defined)
    {
        var newestDefined = LibStdCxx.Newest(defined) ?? "no GLIBCXX version";

        var files = new List<TorchNativeFixFile>();
        var missingAll = new SortedSet<string>(StringComparer.Ordinal);
        var neededAll = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in candidates)
        {
            if (!File.Exists(path))
            {
                files.Add(NotFound(path));
                continue;
            }
            files.Add(CheckAndPatch(path, libstdcxxPath, defined, newestDefined, missingAll, neededAll));
        }

        var newestNeeded = LibStdCxx.Newest(neededAll);
        var missingText = string.Join(", ", missingAll);
        int Count(TorchNativeFixAction action) => files.Count(f => f.Action == action);
        string summary;
        if (Count(TorchNativeFixAction.Failed) is var failed and > 0)
            summary = $"FAILED for {failed} file(s), TorchSharp may not load: " + files.First(f => f.Action == TorchNativeFixAction.Failed).Reason;
        else if (missingAll.Count == 0)
            summary = newestNeeded is null
                ? $"not needed (system libstdc++ has every version {LibraryName} needs)"
                : $"not needed (system libstdc++ has {newestNeeded})";
        else if (Count(TorchNativeFixAction.Patched) is var patched and > 0)
            summary = $"patched {patched} file(s): marked {missingText} weak, the system libstdc++ only goes up to {newestDefined}"
                      + " (if TorchSharp already failed in this process, restart it: .NET remembers the failure)";
        else
            summary = $"already patched ({missingText} marked weak; the system libstdc++ only goes up to {newestDefined})";
        return new TorchNativeFixReport(summary, libstdcxxPath, missingAll.ToList(), files);
    }

    /// <summary>Decides for one existing file, and patches it if needed.</summary>
    [SupportedOSPlatform("linux")]
    private static TorchNativeFixFile CheckAndPatch(
        string path, string libstdcxxPath, IReadOnlySet<string> defined, string newestDefined,
        SortedSet<string> missingAll, HashSet<string> neededAll)
    {
        byte[] bytes;
        IReadOnlyList<ElfVersionNeed> needs;
        try
        {
            bytes = File.ReadAllBytes(path);
            needs = ElfVersionNeeds.ListNeeds(bytes).Where(n => n.File == LibStdCxx.SoName).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new TorchNativeFixFile(path, TorchNativeFixAction.Failed, $"cannot read it: {ex.Message}");
        }

        neededAll.UnionWith(needs.Select(n => n.Version));
        var missing = needs.Where(n => !defined.Contains(n.Version)).ToList();
        if (missing.Count == 0)
        {
            var newest = LibStdCxx.Newest(needs.Select(n => n.Version));
            return new TorchNativeFixFile(path, TorchNativeFixAction.NotNeeded,
                newest is null ? "system libstdc++ has every version it needs" : $"system libstdc++ has {newest}");
        }
        var missingNames = missing.Select(n => n.Version).ToHashSet(StringComparer.Ordinal);
        missingAll.UnionWith(missingNames);
        var missingText = string.Join(", ", missingNames.Order(StringComparer.Ordinal));

        if (missing.All(n => n.IsWeak))
            return new TorchNativeFixFile(path, TorchNativeFixAction.AlreadyPatched, $"{missingText} already marked weak");

        // Safe only if nothing behind the missing versions is ever bound: no relocation may use those symbols.
        var imports = ElfVersionNeeds.ListImports(bytes).Where(i => missingNames.Contains(i.Version)).ToList();
        var used = imports.Where(i => i.Relocations > 0).ToList();
        if (used.Count > 0)
        {
            return new TorchNativeFixFile(path, TorchNativeFixAction.Failed,
                $"it really uses {string.Join(", ", used.Select(i => i.Symbol + "@" + i.Version))}, which the system libstdc++ "
                + $"({libstdcxxPath}, up to {newestDefined}) lacks; marking the version weak would only move the failure to the first call. "
                + "Install a newer libstdc++ (GCC 13 or later, e.g. Debian 13 or Ubuntu 24.04).");
        }

        try
        {
            var patched = ElfVersionNeeds.MarkWeak(bytes, missingNames, LibStdCxx.SoName);
            ReplaceAtomically(path, patched);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new TorchNativeFixFile(path, TorchNativeFixAction.Failed, WriteFailureAdvice(path, ex));
        }
        var symbols = imports.Count == 0 ? "no symbols" : string.Join(", ", imports.Select(i => i.Symbol).Distinct());
        return new TorchNativeFixFile(path, TorchNativeFixAction.Patched,
            $"marked {missingText} weak: the system libstdc++ goes up to {newestDefined}, and nothing behind it is ever bound ({symbols}, no relocations)");
    }

    /// <summary>
    /// Writes the new bytes next to the file, with the file's permission bits, flushes them to disk and
    /// renames them over the file (rename within one folder is atomic on POSIX file systems).
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static void ReplaceAtomically(string path, byte[] bytes)
    {
        var dir = System.IO.Path.GetDirectoryName(path)!;
        var mode = File.GetUnixFileMode(path);
        var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            }))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.SetUnixFileMode(temp, mode); // The create mode was filtered by the umask.
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static string WriteFailureAdvice(string path, Exception ex)
    {
        var nugetRoot = NuGetRoots().FirstOrDefault(root => IsUnder(path, root));
        var owner = nugetRoot ?? System.IO.Path.GetDirectoryName(path)!;
        var who = nugetRoot is null ? "Run this as the user who owns" : "Run the kit's setup as the user who owns";
        return $"cannot write it ({ex.Message}). {who} {owner}"
               + $" (or give yourself write access: sudo chown -R \"$(id -un)\" \"{owner}\"), then call TorchNativeFix.Apply() again before using TorchSharp.";
    }

    private static TorchNativeFixFile NotFound(string path) =>
        new(path, TorchNativeFixAction.NotFound, "no such file");

    /// <summary>
    /// Every place TorchSharp 0.107 may load libLibTorchSharp.so from (see LoadNativeBackend in its Torch.cs):
    /// the normal probing next to the app and next to TorchSharp.dll (including runtimes/RID/native from
    /// deps.json), the "consolidated" folder it copies the natives into when that fails
    /// (TorchSharp.dll's folder + cpu/ or cuda-*/; inside .NET Interactive that is
    /// ~/.nuget/packages/torchsharp/VERSION/lib/net8.0/cpu/), and the NuGet package the copies come from.
    /// Symbolic links are resolved; duplicates are dropped.
    /// </summary>
    internal static IReadOnlyList<string> CandidatePaths()
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var dirs = new List<string>();

        void AddProbingDirs(string dir)
        {
            dirs.Add(dir);
            dirs.Add(System.IO.Path.Combine(dir, "runtimes", rid, "native"));
        }

        void AddConsolidatedDirs(string dir)
        {
            dirs.Add(System.IO.Path.Combine(dir, "cpu"));
            if (Directory.Exists(dir))
                dirs.AddRange(Directory.EnumerateDirectories(dir, "cuda-*").Order(StringComparer.Ordinal));
        }

        AddProbingDirs(AppContext.BaseDirectory);
        var torchSharp = TorchSharpAssembly();
        var torchSharpDir = string.IsNullOrEmpty(torchSharp?.Location) ? null : System.IO.Path.GetDirectoryName(torchSharp.Location);
        if (torchSharpDir is not null)
        {
            AddProbingDirs(torchSharpDir);
            AddConsolidatedDirs(torchSharpDir);
        }

        var version = PackageVersion(torchSharp);
        foreach (var root in NuGetRoots(torchSharpDir))
        {
            var packageDir = System.IO.Path.Combine(root, "torchsharp");
            if (!Directory.Exists(packageDir))
                continue;
            // The version in use if known and restored; otherwise every restored version.
            var versionDirs = version is not null && Directory.Exists(System.IO.Path.Combine(packageDir, version))
                ? new[] { System.IO.Path.Combine(packageDir, version) }
                : Directory.EnumerateDirectories(packageDir).Order(StringComparer.Ordinal).ToArray();
            foreach (var versionDir in versionDirs)
            {
                dirs.Add(System.IO.Path.Combine(versionDir, "runtimes", rid, "native"));
                var lib = System.IO.Path.Combine(versionDir, "lib");
                if (Directory.Exists(lib))
                    foreach (var tfm in Directory.EnumerateDirectories(lib).Order(StringComparer.Ordinal))
                        AddConsolidatedDirs(tfm);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var dir in dirs)
        {
            var path = ResolveLinks(System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, LibraryName)));
            if (seen.Add(path))
                result.Add(path);
        }
        return result;
    }

    /// <summary>
    /// The loaded (or loadable) TorchSharp assembly. typeof only needs the type's metadata: it neither runs
    /// torch's static constructor nor loads any native library. Null if TorchSharp.dll cannot be found.
    /// </summary>
    private static Assembly? TorchSharpAssembly()
    {
        try
        {
            return TorchSharpAssemblyCore();
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException or TypeLoadException)
        {
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "TorchSharp");
        }
    }

    // Separate and not inlined, so a missing TorchSharp.dll fails when this is compiled, inside the try above.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Assembly TorchSharpAssemblyCore() => typeof(TorchSharp.torch).Assembly;

    /// <summary>TorchSharp's NuGet package version as a folder name (NuGet lower-cases them), or null.</summary>
    private static string? PackageVersion(Assembly? torchSharp)
    {
        if (torchSharp is null)
            return null;
        var informational = torchSharp.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational?.Split('+')[0] ?? torchSharp.GetName().Version?.ToString(3);
        return string.IsNullOrWhiteSpace(version) ? null : version.ToLowerInvariant();
    }

    /// <summary>
    /// NuGet global packages folders: $NUGET_PACKAGES, ~/.nuget/packages, and the one TorchSharp.dll itself
    /// was loaded from (PACKAGES/torchsharp/VERSION/lib/TFM/TorchSharp.dll), as TorchSharp probes them.
    /// </summary>
    private static IEnumerable<string> NuGetRoots(string? torchSharpDir = null)
    {
        var roots = new List<string>();
        var fromEnvironment = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(fromEnvironment))
            roots.Add(fromEnvironment);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
            roots.Add(System.IO.Path.Combine(home, ".nuget", "packages"));
        if (torchSharpDir is not null)
        {
            var packageDir = System.IO.Path.GetFullPath(System.IO.Path.Combine(torchSharpDir, "..", "..", ".."));
            if (string.Equals(System.IO.Path.GetFileName(packageDir), "torchsharp", StringComparison.OrdinalIgnoreCase))
                roots.Add(System.IO.Path.GetDirectoryName(packageDir)!);
        }
        return roots.Select(r => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(r))).Distinct(StringComparer.Ordinal);
    }

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The final target if <paramref name="path"/> is a symbolic link (so the real file gets patched).</summary>
    private static string ResolveLinks(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }
}
