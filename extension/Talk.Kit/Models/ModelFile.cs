namespace Talk.Kit.Models;

/// <summary>File chores of <see cref="Model"/>: clear errors for missing files, atomic writes, path identity.</summary>
internal static class ModelFile
{
    /// <summary>The full path of an existing file, or a <see cref="FileNotFoundException"/> that says where it looked and what is there.</summary>
    public static string RequireExisting(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
            return full;
        if (Directory.Exists(full))
            throw new FileNotFoundException($"'{full}' is a folder, not an ONNX model file. Give the path of a .onnx file inside it.", full);
        string folder = Path.GetDirectoryName(full) ?? full;
        string hint = !Directory.Exists(folder)
            ? $"The folder '{folder}' does not exist either."
            : Directory.GetFiles(folder, "*.onnx").Select(Path.GetFileName).Order().Take(8).ToList() is { Count: > 0 } models
                ? $"ONNX files in that folder: {string.Join(", ", models)}."
                : "That folder holds no .onnx file.";
        string relative = Path.IsPathRooted(path) ? "" : $" (relative paths start in '{Environment.CurrentDirectory}')";
        throw new FileNotFoundException($"No ONNX model file at '{full}'{relative}. {hint} Check the path.", full);
    }

    /// <summary>
    /// Writes to a temporary file beside <paramref name="fullPath"/>, flushes it to disk, then renames it over the target:
    /// readers see the old file or the new one, never half of one.
    /// </summary>
    public static void WriteAtomically(string fullPath, byte[] contents)
    {
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{fullPath}' has no folder.", nameof(fullPath));
        Directory.CreateDirectory(folder);
        // Same folder ⇒ same file system ⇒ File.Move is a rename(2), which is atomic.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>
    /// Whether two full paths name the same file: compared after following symbolic links,
    /// case-insensitively where the file system usually is (Windows, macOS).
    /// </summary>
    public static bool SamePath(string a, string b) =>
        string.Equals(Resolved(a), Resolved(b),
            OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static string Resolved(string fullPath)
    {
        string path = Path.TrimEndingDirectorySeparator(fullPath);
        return File.Exists(path) ? File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path : path;
    }
}
