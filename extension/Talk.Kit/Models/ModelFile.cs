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

    /// <summary>Writes the model's bytes atomically (see <see cref="IO.AtomicFile"/>).</summary>
    public static void WriteAtomically(string fullPath, byte[] contents) => IO.AtomicFile.WriteAllBytes(fullPath, contents);

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
