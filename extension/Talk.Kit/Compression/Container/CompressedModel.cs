using Talk.Kit.IO;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Container;

/// <summary>The result of <see cref="DeepCompression.Compress"/>: the file's bytes, where they went, and the model they decode to.</summary>
public sealed class CompressedModel
{
    private readonly byte[] bytes;

    internal CompressedModel(byte[] bytes, CompressionReport report, Model shared)
    {
        this.bytes = bytes;
        Report = report;
        Shared = shared;
    }

    /// <summary>The <see cref="ContainerFormat"/> file, read-only.</summary>
    public ReadOnlyMemory<byte> Bytes => bytes;

    /// <summary>A copy of the file's bytes that the caller owns.</summary>
    public byte[] ToArray() => bytes.ToArray();

    /// <summary>Per-layer and per-stage sizes; <c>Report.FileBytes == Bytes.Length</c>.</summary>
    public CompressionReport Report { get; }

    /// <summary>
    /// The input model with each compressed layer's weights replaced by centroid[index] (pruned zeros stay 0): exactly
    /// what decoding the file gives, so evaluating it measures the compressed model's accuracy without a round trip.
    /// </summary>
    public Model Shared { get; }

    /// <summary>Writes the file atomically (<see cref="AtomicFile"/>); returns the full path.</summary>
    public string Save(string path)
    {
        string full = Path.GetFullPath(path);
        AtomicFile.WriteAllBytes(full, bytes);
        return full;
    }

    public override string ToString() => $"{Shared.Name}: {bytes.Length:N0} B, {Report.CompressionRatio:F1}× smaller than dense fp32";
}
