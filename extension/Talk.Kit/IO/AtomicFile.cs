namespace Talk.Kit.IO;

/// <summary>
/// The kit's one way to write an output file: into a temporary file beside the target, flushed to disk, then renamed
/// over it. Same folder ⇒ same file system ⇒ the rename is atomic, so readers (and a crash) see the old file or the
/// new one, never half of one.
/// </summary>
public static class AtomicFile
{
    /// <summary>Lets <paramref name="writeTemporary"/> write the content to the path it is given, then renames that file to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> writeTemporary)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite)) stream.Flush(flushToDisk: true);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void WriteAllBytes(string path, byte[] contents) => Write(path, temporary => File.WriteAllBytes(temporary, contents));

    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}
