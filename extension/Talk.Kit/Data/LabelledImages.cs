using System.Globalization;

namespace Talk.Kit.Data;

/// <summary>
/// Grey-scale images with one class label each, kept as the bytes of the file: <see cref="Pixels"/> is
/// N × Rows × Cols in row-major order (image i starts at i·Rows·Cols), <see cref="Labels"/> has N entries.
/// </summary>
/// <remarks>
/// The arrays are owned by this object and shared with nobody: <see cref="Slice"/>, <see cref="Take"/> and
/// <see cref="Balanced"/> copy. Treat them as read-only; every selection returns a new set whose
/// <see cref="Source"/> says how it was made.
/// </remarks>
public sealed class LabelledImages
{
    /// <summary>Checks the shapes and labels, and keeps the arrays (no copy).</summary>
    /// <exception cref="ArgumentException">Lengths disagree with rows × cols, or a label has no class name.</exception>
    public LabelledImages(byte[] pixels, byte[] labels, int rows, int cols, IReadOnlyList<string> classNames, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        if (pixels.LongLength != (long)labels.Length * rows * cols)
            throw new ArgumentException($"{pixels.Length} pixels do not make {labels.Length} images of {rows}×{cols}", nameof(pixels));
        int bad = Array.FindIndex(labels, l => l >= classNames.Count);
        if (bad >= 0)
            throw new ArgumentException($"label {labels[bad]} at index {bad} has no class name (there are {classNames.Count} classes)", nameof(labels));
        Pixels = pixels;
        Labels = labels;
        Rows = rows;
        Cols = cols;
        ClassNames = classNames;
        Source = source;
    }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Cols { get; }

    /// <summary>Pixels 0–255 (0 = background), N × Rows × Cols, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class index of each image, 0 ≤ label &lt; <see cref="ClassNames"/>.Count.</summary>
    public byte[] Labels { get; }

    /// <summary>Name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Where the images came from (file paths) and how they were selected.</summary>
    public string Source { get; }

    /// <summary>Pixels per image: Rows × Cols.</summary>
    public int ImageSize => Rows * Cols;

    /// <summary>The pixels of image <paramref name="index"/> (a view, Rows × Cols row-major).</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return Pixels.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>The NCHW shape of <paramref name="count"/> images as a model input: [count, 1, Rows, Cols].</summary>
    public int[] TensorShape(int count) => [count, 1, Rows, Cols];

    /// <summary>
    /// Images start..start+count−1 as a model input: NCHW [count, 1, Rows, Cols], each pixel through
    /// <see cref="Normalization.Normalize(byte)"/>. With one channel, NCHW is the file's own order.
    /// </summary>
    public float[] ToTensorData(int start, int count)
    {
        CheckRange(start, count);
        var data = new float[count * ImageSize];
        CopyTensorData(start, count, data);
        return data;
    }

    /// <summary>Like <see cref="ToTensorData"/>, into a caller's buffer of exactly count × Rows × Cols floats (no allocation: for batch loops).</summary>
    public void CopyTensorData(int start, int count, Span<float> destination)
    {
        CheckRange(start, count);
        Normalization.Normalize(Pixels.AsSpan(start * ImageSize, count * ImageSize), destination);
    }

    /// <summary>Images start..start+count−1, copied.</summary>
    public LabelledImages Slice(int start, int count)
    {
        CheckRange(start, count);
        return Select(Enumerable.Range(start, count).ToArray(), count == 0 ? "no images" : $"images {start}–{start + count - 1}");
    }

    /// <summary>The first <paramref name="count"/> images (all of them when there are fewer, like LINQ's Take).</summary>
    public LabelledImages Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = Math.Min(count, Count);
        return Select(Enumerable.Range(0, n).ToArray(), $"first {n}");
    }

    /// <summary>
    /// The first <paramref name="perClass"/> images of each class, kept in file order (the rule that made the
    /// shipped subset: <c>Balanced(500)</c> of the full training split equals it image for image).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A class has fewer than <paramref name="perClass"/> images.</exception>
    public LabelledImages Balanced(int perClass)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perClass);
        var taken = new int[ClassNames.Count];
        var kept = new List<int>(perClass * ClassNames.Count);
        for (int i = 0; i < Count; i++)
            if (taken[Labels[i]] < perClass)
            {
                taken[Labels[i]]++;
                kept.Add(i);
            }
        int shortClass = Array.FindIndex(taken, t => t < perClass);
        if (shortClass >= 0)
            throw new ArgumentOutOfRangeException(nameof(perClass), perClass,
                $"class {shortClass} ({ClassNames[shortClass]}) has only {taken[shortClass]} images in {Source}; ask for at most {taken.Min()} per class");
        return Select(kept.ToArray(), $"first {perClass} per class");
    }

    /// <summary>How many images each class has, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (byte label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>E.g. "1,000 images 28×28, 10 classes (…source…)".</summary>
    public override string ToString() =>
        $"{Count.ToString("N0", CultureInfo.InvariantCulture)} images {Rows}×{Cols}, {ClassNames.Count} classes ({Source})";

    private LabelledImages Select(int[] indices, string how)
    {
        var pixels = new byte[indices.Length * ImageSize];
        var labels = new byte[indices.Length];
        for (int j = 0; j < indices.Length; j++)
        {
            Image(indices[j]).CopyTo(pixels.AsSpan(j * ImageSize, ImageSize));
            labels[j] = Labels[indices[j]];
        }
        return new LabelledImages(pixels, labels, Rows, Cols, ClassNames, $"{Source}; {how}");
    }

    private void CheckRange(int start, int count)
    {
        if (start < 0 || count < 0 || start > Count - count)
            throw new ArgumentOutOfRangeException(nameof(count), $"images {start}..{start + count - 1} are outside 0..{Count - 1}");
    }
}
