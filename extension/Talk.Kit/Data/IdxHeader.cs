namespace Talk.Kit.Data;

/// <summary>The header of an IDX file: element type and dimension sizes (read without the data).</summary>
/// <param name="Path">The file read.</param>
/// <param name="Gzip">True when the file is gzip-compressed (detected by the magic bytes 1F 8B).</param>
/// <param name="ElementType">IDX type code (third magic byte); 0x08 is unsigned byte.</param>
/// <param name="Dimensions">Sizes, outermost first: [count, rows, cols] for images, [count] for labels.</param>
public sealed record IdxHeader(string Path, bool Gzip, byte ElementType, IReadOnlyList<int> Dimensions)
{
    /// <summary>The first dimension: how many images or labels the file declares.</summary>
    public int Count => Dimensions.Count > 0 ? Dimensions[0] : 0;

    /// <summary>Header length in bytes: 4 magic bytes + one big-endian int32 per dimension.</summary>
    public int HeaderBytes => 4 + 4 * Dimensions.Count;

    /// <summary>Data length the header declares: the product of the dimensions (one byte per element).</summary>
    public long DataBytes => Dimensions.Aggregate(1L, (product, d) => product * d);
}
