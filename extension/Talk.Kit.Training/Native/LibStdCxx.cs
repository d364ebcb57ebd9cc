using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Talk.Kit.Training.Native;

/// <summary>Where the process's libstdc++ was found, and how.</summary>
/// <param name="Path">The file (symbolic links are not resolved, so it may be <c>.../libstdc++.so.6</c>).</param>
/// <param name="FoundVia"><c>/proc/self/maps</c>, <c>usual path</c> or <c>ldconfig -p</c>.</param>
public sealed record LibStdCxxLocation(string Path, string FoundVia);

/// <summary>
/// The GNU C++ runtime (libstdc++.so.6) of this process, and the symbol versions it defines.
/// </summary>
/// <remarks>
/// The versions are read from the library's <c>.gnu.version_d</c> section with <see cref="ElfVersionNeeds"/>,
/// which is exactly what the dynamic loader checks a Vernaux need against; a grep for the string
/// "GLIBCXX_3.4.32" could also hit an unrelated string in .rodata.
/// </remarks>
public static class LibStdCxx
{
    /// <summary>The soname every C++ library on Linux links against.</summary>
    public const string SoName = "libstdc++.so.6";

    /// <summary>
    /// Finds the libstdc++ this process uses: the one mapped into it (/proc/self/maps; .NET's own runtime
    /// links libstdc++, so it is normally loaded already, and the loader reuses a loaded soname for every
    /// later library), else the first that exists in the usual library folders, else what
    /// <c>ldconfig -p</c> lists for this architecture. Null if none is found or not on Linux.
    /// </summary>
    public static LibStdCxxLocation? Locate()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var mapped = FromProcMaps();
        if (mapped is not null)
            return new LibStdCxxLocation(mapped, "/proc/self/maps");
        foreach (var dir in UsualDirectories())
        {
            var candidate = System.IO.Path.Combine(dir, SoName);
            if (File.Exists(candidate))
                return new LibStdCxxLocation(candidate, "usual path");
        }
        var listed = FromLdconfig();
        return listed is null ? null : new LibStdCxxLocation(listed, "ldconfig -p");
    }

    /// <summary>The version names a libstdc++ file defines (GLIBCXX_*, CXXABI_*, ...), without its base entry.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not an ELF64 little-endian library.</exception>
    public static IReadOnlySet<string> DefinedVersions(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = File.ReadAllBytes(path);
        return ElfVersionNeeds.ListDefinitions(bytes)
            .Where(d => !d.IsBase)
            .Select(d => d.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True if the libstdc++ at <paramref name="path"/> defines <paramref name="version"/> (e.g. <c>GLIBCXX_3.4.32</c>).</summary>
    public static bool Defines(string path, string version) => DefinedVersions(path).Contains(version);

    /// <summary>True if this process's libstdc++ (see <see cref="Locate"/>) defines <paramref name="version"/>.</summary>
    /// <exception cref="FileNotFoundException">No libstdc++.so.6 was found (or not on Linux).</exception>
    public static bool Defines(string version)
    {
        var location = Locate() ?? throw new FileNotFoundException($"{SoName} was not found (looked in /proc/self/maps, the usual library folders and ldconfig -p).");
        return Defines(location.Path, version);
    }

    /// <summary>
    /// The newest of the given <c>PREFIX_a.b.c</c> version names with the given prefix (numeric order, so
    /// GLIBCXX_3.4.32 beats GLIBCXX_3.4.9), or null if there is none.
    /// </summary>
    public static string? Newest(IEnumerable<string> versions, string prefix = "GLIBCXX_")
    {
        ArgumentNullException.ThrowIfNull(versions);
        string? best = null;
        Version? bestNumber = null;
        foreach (var name in versions)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !Version.TryParse(name[prefix.Length..], out var number))
                continue;
            if (bestNumber is null || number > bestNumber)
                (best, bestNumber) = (name, number);
        }
        return best;
    }

    private static string? FromProcMaps()
    {
        try
        {
            // Each line: address perms offset dev inode [pathname]; the path may contain spaces.
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6)
                    continue;
                var path = fields[5].Trim();
                if (!path.StartsWith('/') || path.EndsWith(" (deleted)", StringComparison.Ordinal))
                    continue;
                if (System.IO.Path.GetFileName(path).StartsWith(SoName, StringComparison.Ordinal) && File.Exists(path))
                    return path;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static IEnumerable<string> UsualDirectories()
    {
        var triple = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            _ => null,
        };
        if (triple is not null)
        {
            yield return "/usr/lib/" + triple;
            yield return "/lib/" + triple;
        }
        yield return "/usr/lib64";
        yield return "/usr/lib";
    }

    private static string? FromLdconfig()
    {
        // Lines look like: "\tlibstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6".
        var archTag = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86-64",
            Architecture.Arm64 => "AArch64",
            _ => null,
        };
        // /sbin is not on an ordinary user's PATH on Debian, so try the full paths first.
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" })
        {
            try
            {
                var start = new ProcessStartInfo(ldconfig, "-p")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using var process = Process.Start(start);
                if (process is null)
                    continue;
                var output = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(5000))
                {
                    process.Kill();
                    continue;
                }
                foreach (var line in output.Result.Split('\n'))
                {
                    var trimmed = line.Trim();
                    var arrow = trimmed.IndexOf("=>", StringComparison.Ordinal);
                    if (arrow < 0 || !trimmed.StartsWith(SoName + " ", StringComparison.Ordinal))
                        continue;
                    if (archTag is not null && !trimmed[..arrow].Contains(archTag, StringComparison.Ordinal))
                        continue;
                    var path = trimmed[(arrow + 2)..].Trim();
                    if (File.Exists(path))
                        return path;
                }
                return null;
            }
            catch (System.ComponentModel.Win32Exception) { } // Not at that path.
            catch (InvalidOperationException) { }
        }
        return null;
    }
}
