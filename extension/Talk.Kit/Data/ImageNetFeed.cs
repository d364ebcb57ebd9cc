namespace Talk.Kit.Data;

/// <summary>
/// Turns small grey-scale images (Fashion-MNIST's 28×28) into what an ImageNet network expects: 224×224, three
/// channels. Upscaling is bilinear with pixel centres aligned (as PIL/OpenCV resize), and the grey value is
/// copied to R, G and B. Values stay in 0–255, because the ResNet-18 package's own preprocessing model does the
/// rest (RGB→BGR and mean-image subtraction).
/// </summary>
public static class ImageNetFeed
{
    /// <summary>ImageNet networks' input side.</summary>
    public const int Side = 224;

    /// <summary>Writes one image as [3, size, size] floats (RGB planes, 0–255) into <paramref name="destination"/>.</summary>
    public static void FromGray(ReadOnlySpan<byte> pixels, int rows, int cols, Span<float> destination, int size = Side)
    {
        if (pixels.Length != rows * cols)
            throw new ArgumentException($"Expected {rows}×{cols} = {rows * cols} pixels, got {pixels.Length}.", nameof(pixels));
        if (destination.Length != 3 * size * size)
            throw new ArgumentException($"Destination must hold 3×{size}×{size} = {3 * size * size} floats, has {destination.Length}.", nameof(destination));
        var plane = destination[..(size * size)];
        for (int y = 0; y < size; y++)
        {
            // Output pixel centre y+0.5 maps to source coordinate (y+0.5)·rows/size − 0.5, clamped to the image.
            double sy = Math.Clamp((y + 0.5) * rows / size - 0.5, 0, rows - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, rows - 1);
            double fy = sy - y0;
            for (int x = 0; x < size; x++)
            {
                double sx = Math.Clamp((x + 0.5) * cols / size - 0.5, 0, cols - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, cols - 1);
                double fx = sx - x0;
                double top = pixels[y0 * cols + x0] * (1 - fx) + pixels[y0 * cols + x1] * fx;
                double bottom = pixels[y1 * cols + x0] * (1 - fx) + pixels[y1 * cols + x1] * fx;
                plane[y * size + x] = (float)(top * (1 - fy) + bottom * fy);
            }
        }
        plane.CopyTo(destination.Slice(size * size, size * size));       // G
        plane.CopyTo(destination.Slice(2 * size * size, size * size));   // B
    }
}
