using System.Buffers.Binary;
using System.IO.Compression;

namespace Talk.Kit.Tests.Data;

/// <summary>Crafts IDX files for tests: big-endian header (00 00 type dims, then dims × int32), then data.</summary>
internal static class IdxBytes
{
    public static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>Images file: count × rows × cols unsigned bytes.</summary>
    public static byte[] Images(int count, int rows, int cols, byte[] pixels) => Idx(0x08, [count, rows, cols], pixels);

    /// <summary>Labels file: count unsigned bytes.</summary>
    public static byte[] Labels(byte[] labels) => Idx(0x08, [labels.Length], labels);

    public static byte[] Gzip(byte[] raw)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(raw);
        return buffer.ToArray();
    }

    /// <summary>Pixels with a recognisable pattern: image i, pixel j holds (i·31 + j) mod 256.</summary>
    public static byte[] Pattern(int count, int size) =>
        Enumerable.Range(0, count * size).Select(k => (byte)((k / size * 31 + k % size) % 256)).ToArray();

    /// <summary>Writes a complete Fashion-MNIST-shaped folder (28×28) with the given labels per split.</summary>
    public static void WriteFolder(string dir, byte[] trainLabels, byte[] testLabels, bool gzip = true)
    {
        Directory.CreateDirectory(dir);
        Write(dir, "train-images-idx3-ubyte", Images(trainLabels.Length, 28, 28, Pattern(trainLabels.Length, 784)), gzip);
        Write(dir, "train-labels-idx1-ubyte", Labels(trainLabels), gzip);
        Write(dir, "t10k-images-idx3-ubyte", Images(testLabels.Length, 28, 28, Pattern(testLabels.Length, 784)), gzip);
        Write(dir, "t10k-labels-idx1-ubyte", Labels(testLabels), gzip);
    }

    /// <summary>Writes a header-only folder declaring the given counts (enough for the locator, which reads headers only).</summary>
    public static void WriteHeaders(string dir, int train, int test)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), Idx(0x08, [train, 28, 28], []));
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), Idx(0x08, [train], []));
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), Idx(0x08, [test, 28, 28], []));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), Idx(0x08, [test], []));
    }

    public static string Write(string dir, string stem, byte[] raw, bool gzip)
    {
        string path = Path.Combine(dir, gzip ? stem + ".gz" : stem);
        File.WriteAllBytes(path, gzip ? Gzip(raw) : raw);
        return path;
    }
}
