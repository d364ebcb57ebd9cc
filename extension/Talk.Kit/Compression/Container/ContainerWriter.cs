using System.IO.Hashing;
using System.Text;
using Google.Protobuf;
using Onnx;

namespace Talk.Kit.Compression.Container;

/// <summary>Lays out a <see cref="ContainerFormat"/> file and measures every part of it while writing.</summary>
internal static class ContainerWriter
{
    /// <param name="skeleton">The model with the compressed initializers' data removed.</param>
    /// <param name="layers">The compressed initializers, in file order.</param>
    /// <param name="denseBytes">All initializers as dense tensors (the "dense fp32" stage).</param>
    public static (byte[] Bytes, CompressionReport Report) Write(ModelProto skeleton, IReadOnlyList<EncodedLayer> layers, long denseBytes)
    {
        using var memory = new MemoryStream();
        using var w = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true); // BinaryWriter is little-endian on every platform
        w.Write(ContainerFormat.Magic);
        w.Write(ContainerFormat.Version);
        var graph = skeleton.ToByteArray();
        var (block, flags) = GraphCodec.Encode(graph);
        w.Write(flags);
        w.Write(0L);                      // file length: patched below
        w.Write(block.Length);
        w.Write(block);
        w.Write(layers.Count);

        var reports = new List<LayerSizeReport>();
        foreach (var layer in layers)
        {
            long start = memory.Position;
            var name = Encoding.UTF8.GetBytes(layer.Settings.Initializer);
            w.Write(checked((ushort)name.Length));
            w.Write(name);
            w.Write(checked((byte)layer.Dims.Length));
            foreach (long d in layer.Dims) w.Write(checked((uint)d));
            w.Write((byte)layer.Settings.WeightBits);
            w.Write((byte)layer.Settings.IndexBits);
            w.Write(layer.NonZeros);
            w.Write(layer.Entries);
            long tablesStart = memory.Position;
            foreach (float c in layer.Clusters.Centroids) w.Write(c);
            WriteBlock(w, layer.Weights.Table);
            WriteBlock(w, layer.Gaps.Table);
            long tableBytes = memory.Position - tablesStart;
            WriteBlock(w, layer.Weights.Stream);
            WriteBlock(w, layer.Gaps.Stream);
            long layerBytes = memory.Position - start;
            long streams = layer.Weights.Stream.Length + layer.Gaps.Stream.Length;
            reports.Add(new LayerSizeReport(layer.Settings.Initializer, layer.Dims, layer.SharedDense.Length, layer.NonZeros,
                layer.Entries - layer.NonZeros, layer.Settings.WeightBits, layer.Settings.IndexBits,
                layer.Weights.StreamBits, layer.Gaps.StreamBits, layer.Weights.Stream.Length, layer.Gaps.Stream.Length,
                tableBytes - 8, // the two table length fields count as header
                layerBytes - streams - (tableBytes - 8), layer.Clusters.Iterations, layer.Clusters.Converged));
        }
        long fileLength = memory.Position + ContainerFormat.ChecksumBytes;
        memory.Position = 12;
        w.Write(fileLength);
        memory.Position = memory.Length;
        w.Flush();
        w.Write(Crc32.HashToUInt32(memory.GetBuffer().AsSpan(0, (int)memory.Length)));
        w.Flush();

        var bytes = memory.ToArray();
        return (bytes, Report(skeleton, block.Length, graph.Length, reports, layers, denseBytes, bytes.Length));
    }

    private static void WriteBlock(BinaryWriter w, byte[] block)
    {
        w.Write(block.Length);
        w.Write(block);
    }

    private static CompressionReport Report(ModelProto skeleton, int graphBytes, int protobufBytes, List<LayerSizeReport> reports,
        IReadOnlyList<EncodedLayer> layers, long denseBytes, long fileBytes)
    {
        var compressed = layers.Select(l => l.Settings.Initializer).ToHashSet();
        long rawInGraph = skeleton.Graph.Initializer.Where(t => !compressed.Contains(t.Name)).Sum(t => (long)t.CalculateSize());
        long rest = denseBytes - reports.Sum(r => 4 * r.Weights); // initializers kept as they were, dense
        long sparse = rest + reports.Sum(r => (r.Entries * (32 + r.IndexBits) + 7) / 8);
        long shared = rest + reports.Sum(r => (r.Entries * (r.WeightBits + r.IndexBits) + 7) / 8 + (4L << r.WeightBits));
        long container = ContainerFormat.HeaderBytes + 4;
        return new CompressionReport(reports, container, graphBytes, protobufBytes, rawInGraph, ContainerFormat.ChecksumBytes, fileBytes,
            new StageSizes(denseBytes, sparse, shared, fileBytes));
    }
}
