using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Talk.Kit.Data;

/// <summary>
/// Reads IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed or raw.
/// </summary>
/// <remarks>
/// Layout (LeCun's MNIST page): bytes 0–1 are zero, byte 2 the element type (0x08 = unsigned byte), byte 3
/// the number of dimensions d; then d big-endian int32 sizes; then the elements in row-major order. Gzip is
/// recognised by its magic bytes 1F 8B (RFC 1952), not by the file name. Every problem is a
/// <see cref="DatasetFormatException"/> naming the file, what is wrong and how to fix it.
/// </remarks>
public static class IdxFile
{
    /// <summary>IDX element type code for unsigned bytes, the only type Fashion-MNIST uses.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>Dimensions of an images file: count, rows, columns.</summary>
    public const int ImageDimensions = 3;

    /// <summary>Dimensions of a labels file: count.</summary>
    public const int LabelDimensions = 1;

    /// <summary>What to do about a damaged or wrong file; ends every format message.</summary>
    public const string Fix =
        "Replace it with an intact copy: reinstall the Debian package (sudo apt-get install --reinstall dataset-fashion-mnist), " +
        "download it from github.com/zalandoresearch/fashion-mnist, or regenerate the shipped subset " +
        "(/usr/bin/python3 scripts/make_fashion_mnist_subset.py).";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Reads and checks only the header (cheap even for a 26 MB .gz: a few bytes are decompressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="dimensions">Expected number of dimensions: <see cref="ImageDimensions"/> or <see cref="LabelDimensions"/>.</param>
    public static IdxHeader ReadHeader(string path, int dimensions)
    {
        using var stream = Open(path, out bool gzip);
        return Guard(path, () => ReadHeader(stream, path, gzip, dimensions));
    }

    /// <summary>Reads the whole file: its header and its data (one byte per element, row-major).</summary>
    /// <param name="path">The file.</param>
    /// <param name="dimensions">Expected number of dimensions: <see cref="ImageDimensions"/> or <see cref="LabelDimensions"/>.</param>
    /// <returns>The header and a new array of exactly <see cref="IdxHeader.DataBytes"/> bytes.</returns>
    public static (IdxHeader Header, byte[] Data) Read(string path, int dimensions)
    {
        using var stream = Open(path, out bool gzip);
        return Guard(path, () =>
        {
            var header = ReadHeader(stream, path, gzip, dimensions);
            var data = new byte[header.DataBytes];
            // One bulk read into the final array: no per-byte work, no intermediate copies.
            int found = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (found < data.Length)
                throw Bad(path, $"truncated: the header declares {Shape(header)} = {data.Length.ToString("N0", Inv)} data bytes, found {found.ToString("N0", Inv)}{(gzip ? " after decompression" : "")}");
            long extra = CountRemaining(stream);
            if (extra > 0)
                throw Bad(path, $"longer than its header declares: {Shape(header)} = {data.Length.ToString("N0", Inv)} data bytes expected, {extra.ToString("N0", Inv)} more found");
            return (header, data);
        });
    }

    /// <summary>Opens the file, wrapped in a gzip decoder when it starts with 1F 8B.</summary>
    private static Stream Open(string path, out bool gzip)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, "file not found", "Check the path, or call FashionMnist.Load() to search the usual folders.");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        file.Position = 0;
        return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static IdxHeader ReadHeader(Stream stream, string path, bool gzip, int dimensions)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw Bad(path, $"truncated header: an IDX file starts with 4 magic bytes, found {got}");
        if (magic[0] != 0 || magic[1] != 0)
            throw Bad(path, $"not an IDX file: it starts with {Hex(magic)}, an IDX file starts with 00 00 (then the element type and the number of dimensions)");
        if (magic[2] != UnsignedByte)
            throw Bad(path, $"element type is 0x{magic[2]:X2} ({TypeName(magic[2])}), expected 0x08 (unsigned byte)");
        if (magic[3] != dimensions)
            throw Bad(path, $"has {magic[3]} dimension{(magic[3] == 1 ? "" : "s")}, expected {DimensionsText(dimensions)}");

        Span<byte> sizes = stackalloc byte[4 * dimensions];
        got = stream.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false);
        if (got < sizes.Length)
            throw Bad(path, $"truncated header: {dimensions} dimension{(dimensions == 1 ? "" : "s")} need {4 + sizes.Length} header bytes, found {4 + got}");

        var dims = new int[dimensions];
        long total = 1;
        for (int i = 0; i < dimensions; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(sizes[(4 * i)..]);
            if (dims[i] < 0)
                throw Bad(path, $"dimension {i} has a negative size ({dims[i]})");
            total *= dims[i]; // ≤ 2^31 · Array.MaxLength after the check below, so no overflow
            if (total > Array.MaxLength)
                throw Bad(path, $"the header declares more than {Array.MaxLength.ToString("N0", Inv)} data bytes, more than one array can hold");
        }
        return new IdxHeader(path, gzip, magic[2], dims);
    }

    /// <summary>Runs a read, turning the gzip decoder's own error into the kit's.</summary>
    private static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            // Only GZipStream throws InvalidDataException here: a bad deflate block or a CRC-32/length mismatch.
            // Its own text is not shown: for a bad CRC it reads "compressed using an unsupported compression method".
            throw new DatasetFormatException(path, "corrupt gzip data: the decompressor rejected it (damaged deflate data or a wrong CRC-32)",
                $"Check it with `gzip -t {System.IO.Path.GetFileName(path)}`. {Fix}", e);
        }
    }

    private static long CountRemaining(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[4096];
        long total = 0;
        for (int n; (n = stream.Read(buffer)) > 0;) total += n;
        return total;
    }

    private static DatasetFormatException Bad(string path, string problem) => new(path, problem, Fix);

    private static string Shape(IdxHeader header) =>
        string.Join(" × ", header.Dimensions.Select(d => d.ToString("N0", Inv)));

    private static string Hex(ReadOnlySpan<byte> bytes) => string.Join(" ", bytes.ToArray().Select(b => b.ToString("X2", Inv)));

    private static string DimensionsText(int dimensions) => dimensions switch
    {
        ImageDimensions => "3 for images (count, rows, columns); is this a labels file?",
        LabelDimensions => "1 for labels (count); is this an images file?",
        _ => dimensions.ToString(Inv),
    };

    /// <summary>Names of the IDX type codes (LeCun's MNIST page), for messages.</summary>
    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX type",
    };
}
