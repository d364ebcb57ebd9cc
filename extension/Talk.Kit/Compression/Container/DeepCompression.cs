using Onnx;
using Talk.Kit.Fusion;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Container;

/// <summary>
/// Deep Compression's storage half (Han, Mao &amp; Dally, ICLR 2016): a pruned model's weights shared by k-means, stored as
/// Huffman-coded cluster indices and relative gaps in one checked file (<see cref="ContainerFormat"/>), and decoded
/// back into an ordinary ONNX model with dense fp32 weights that ONNX Runtime runs as is.
/// </summary>
/// <example><code>
/// var compressed = DeepCompression.Compress(pruned, CompressionSettings.ForModel(pruned));
/// Console.WriteLine(compressed.Report);            // per-layer table and stage sizes
/// compressed.Save("lenet.tkdc");
/// var model = DeepCompression.Load("lenet.tkdc");  // dense fp32 = centroid[index]
/// </code></example>
public static class DeepCompression
{
    /// <summary>
    /// Shares the weights of the initializers in <paramref name="settings"/> (their zeros are the pruned weights) and
    /// encodes the model into a file; everything else is stored as it is.
    /// </summary>
    /// <param name="model">A pruned model (not changed).</param>
    /// <param name="settings">Which initializers and how; default <see cref="CompressionSettings.ForModel"/>.</param>
    /// <exception cref="ArgumentException">A named initializer is missing, not float32, or external.</exception>
    public static CompressedModel Compress(Model model, CompressionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        settings ??= CompressionSettings.ForModel(model);
        if (settings.Layers.GroupBy(l => l.Initializer).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Initializer '{twice.Key}' is listed {twice.Count()} times; give each one setting.", nameof(settings));
        var skeleton = model.ToProto();
        var shared = model.ToProto();
        var layers = new List<EncodedLayer>();
        foreach (var layer in settings.Layers)
        {
            var tensor = FloatInitializer(skeleton.Graph, layer.Initializer, model);
            var weights = GraphEdit.ReadFloats(tensor)!;
            var encoded = LayerCodec.Encode(weights, tensor.Dims.ToArray(), layer, settings.MaxIterations);
            layers.Add(encoded);
            tensor.RawData = Google.Protobuf.ByteString.Empty;
            tensor.FloatData.Clear();
            var replaced = shared.Graph.Initializer.First(t => t.Name == layer.Initializer);
            replaced.FloatData.Clear();
            replaced.RawData = GraphEdit.FloatTensor(replaced.Name, encoded.SharedDense, replaced.Dims).RawData;
        }
        var (bytes, report) = ContainerWriter.Write(skeleton, layers, model.InitializerBytes);
        var step = LineageStep.Now("deep-compression", new Dictionary<string, string>
        {
            ["layers"] = string.Join("; ", settings.Layers),
            ["bytes"] = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new CompressedModel(bytes, report, model.With(shared, step));
    }

    /// <summary>Decodes a file's bytes into a model with dense fp32 weights (structure checked; ONNX Runtime not asked).</summary>
    /// <param name="bytes">A <see cref="ContainerFormat"/> file.</param>
    /// <param name="name">Name of the model for reports.</param>
    /// <param name="source">Where the bytes came from, for the lineage and for error messages.</param>
    /// <exception cref="CompressedModelFormatException">Not such a file, a newer version, truncated, damaged or corrupt.</exception>
    public static Model Decompress(byte[] bytes, string name, string source = "compressed bytes")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Model.FromBytes(ContainerReader.Read(bytes, $"Compressed model '{name}' ({source})"), name, source);
    }

    /// <summary>Reads and decodes a <see cref="ContainerFormat"/> file.</summary>
    /// <param name="name">Name for reports; default: the file name without extension.</param>
    /// <exception cref="FileNotFoundException">No file there.</exception>
    /// <exception cref="CompressedModelFormatException">Not such a file, a newer version, truncated, damaged or corrupt.</exception>
    public static Model Load(string path, string? name = null)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"No compressed model at '{full}'. Write one with DeepCompression.Compress(model).Save(path).", full);
        return Decompress(File.ReadAllBytes(full), name ?? Path.GetFileNameWithoutExtension(full), full);
    }

    private static TensorProto FloatInitializer(GraphProto graph, string name, Model model)
    {
        var tensor = GraphEdit.Initializer(graph, name) ?? throw new ArgumentException(
            $"Model '{model.Name}' has no initializer '{name}'. Its float initializers: " +
            string.Join(", ", graph.Initializer.Where(t => t.DataType == (int)OnnxElementType.Float).Select(t => t.Name)) + ".", nameof(name));
        if (tensor.DataType != (int)OnnxElementType.Float || tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new ArgumentException($"Initializer '{name}' of model '{model.Name}' is not an embedded float32 tensor; only those can be shared.", nameof(name));
        return tensor;
    }
}
