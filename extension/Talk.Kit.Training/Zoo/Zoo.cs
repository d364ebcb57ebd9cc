using System.Security.Cryptography;
using System.Text;
using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Training.Export;
using Talk.Kit.Training.Native;
using Talk.Kit.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Talk.Kit.Training;

/// <summary>
/// The kit's model zoo: the catalogue's networks, trained here on Fashion-MNIST on first use and then cached, and the
/// real ImageNet ResNet-18 from its NuGet package. Every model comes out as an ONNX <see cref="Model"/>.
/// </summary>
public static class Zoo
{
    /// <summary>
    /// Default recipes (Adam), chosen to train in under a minute on 2 cores with the full data (measured here:
    /// lenet-5 47 s → 89.5% test accuracy; lenet-300-100 16 s → 88.6%). The conv nets take ~2.5–4 min per full
    /// epoch, so their recipes use a third of the data (measured here, on a busy machine: vgg-bn 230 s → 88.5%,
    /// mobilenet-v2 154 s → 84.3%).
    /// </summary>
    private static readonly Dictionary<string, TrainingOptions> recipes = new()
    {
        ["lenet-300-100"] = new TrainingOptions(Epochs: 8, BatchSize: 128, LearningRate: 1e-3),
        ["lenet-5"] = new TrainingOptions(Epochs: 5, BatchSize: 128, LearningRate: 2e-3),
        ["vgg-bn"] = new TrainingOptions(Epochs: 2, BatchSize: 64, LearningRate: 1e-3, TrainImages: 20_000),
        ["mobilenet-v2"] = new TrainingOptions(Epochs: 2, BatchSize: 64, LearningRate: 1e-3, TrainImages: 20_000),
    };

    /// <summary>Every name in the zoo.</summary>
    public static IReadOnlyList<ZooEntry> Entries { get; } =
    [
        .. NetworkCatalog.Networks.Select(n => new ZooEntry(n.Name, "trained here", n.Description, recipes.GetValueOrDefault(n.Name, new TrainingOptions()))),
        new ZooEntry(PretrainedResNet18.Name, "pretrained", PretrainedResNet18.Description, null),
    ];

    /// <summary>The entry of a name, or a clear error listing the names.</summary>
    public static ZooEntry Entry(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"'{name}' is not in the zoo. Try one of: {string.Join(", ", Entries.Select(e => e.Name))}.", nameof(name));

    /// <summary>
    /// Gets a model: pretrained ones load from their package; trained-here ones load from the cache, or are trained
    /// (with live progress), exported, verified against TorchSharp on real images, and cached.
    /// </summary>
    /// <param name="name">Zoo name.</param>
    /// <param name="options">Training recipe; default: the entry's recipe.</param>
    /// <param name="data">Fashion-MNIST to train on; default: <see cref="FashionMnist.Load"/> (the full set when installed).</param>
    public static ZooModel Get(string name, TrainingOptions? options = null, FashionMnistData? data = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var entry = Entry(name);
        if (entry.Recipe is null)
            return new ZooModel(PretrainedResNet18.Load(), entry, null, FromCache: true, Export: null, CacheFolder: null);
        return GetTrained(entry, options ?? entry.Recipe, data ?? FashionMnist.Load(), TrainedModelCache.Default, progress, cancellationToken);
    }

    /// <summary>As <see cref="Get"/> for a trained-here net, with an explicit cache (tests use a temporary one).</summary>
    public static ZooModel GetTrained(ZooEntry entry, TrainingOptions options, FashionMnistData data, TrainedModelCache cache,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        TorchNativeFix.Apply();
        string architectureVersion = ArchitectureFingerprint(entry.Name);
        string dataFingerprint = Fingerprint(data.Train);
        string key = TrainedModelCache.Key(entry.Name, architectureVersion, dataFingerprint, options);
        if (cache.TryGet(entry.Name, key) is { } hit)
        {
            var cached = ModelLoader.Validate(Model.FromBytes(hit.Onnx, entry.Name, Source(entry, key, hit.Record)));
            return new ZooModel(cached, entry, hit.Record, FromCache: true, Export: null, CacheFolder: cache.EntryFolder(entry.Name, key));
        }

        using var net = NetworkCatalog.Create(entry.Name, options.Seed);
        var epochs = Trainer.Train(net, data.Train, options, progress, cancellationToken);
        byte[] onnx = OnnxExporter.Export(net, entry.Name, [1, data.Train.Rows, data.Train.Cols]);
        // The exporter checked random inputs; check real ones too, as the issue's rule "ONNX Runtime is the judge" asks.
        int n = Math.Min(64, data.Test.Count);
        var verification = ExportVerifier.Verify(net, onnx, data.Test.ToTensorData(0, n), [n, 1, data.Test.Rows, data.Test.Cols]);
        if (!verification.Passed)
            throw new InvalidOperationException($"The export of {entry.Name} does not match TorchSharp on real images: {verification}");

        var record = new TrainingRecord(entry.Name, options, dataFingerprint, $"{data.Kind} Fashion-MNIST from {data.Location.Directory}", epochs, DateTime.UtcNow);
        string folder = cache.Put(entry.Name, key, onnx, record, path => net.save(path));
        var model = ModelLoader.Validate(Model.FromBytes(onnx, entry.Name, Source(entry, key, record)));
        return new ZooModel(model, entry, record, FromCache: false, Export: verification, CacheFolder: folder);
    }

    /// <summary>
    /// The TorchSharp network of a trained-here zoo model, with its trained weights loaded from the cache (for
    /// fine-tuning, pruning or quantization-aware training). The caller owns (and disposes) the module.
    /// </summary>
    public static nn.Module<Tensor, Tensor> LoadNetwork(ZooModel trained)
    {
        if (trained.Training is null || trained.CacheFolder is null)
            throw new ArgumentException($"'{trained.Entry.Name}' was not trained here, so it has no TorchSharp weights to load.", nameof(trained));
        string weights = Path.Combine(trained.CacheFolder, "weights.dat");
        if (!File.Exists(weights))
            throw new FileNotFoundException($"The cached weights of {trained.Entry.Name} are missing ({weights}): delete {trained.CacheFolder} and load the model again to retrain it.", weights);
        var net = NetworkCatalog.Create(trained.Entry.Name, trained.Training.Options.Seed);
        net.load(weights);
        net.eval();
        return net;
    }

    /// <summary>The lineage source of a trained net: where its weights came from.</summary>
    private static string Source(ZooEntry entry, string key, TrainingRecord record) =>
        $"zoo {entry.Name}: TorchSharp, {record.Options.Epochs} epochs on {record.DataDescription} (cache key {key})";

    /// <summary>Whether a trained-here net is already cached for this recipe and data (so no training would run).</summary>
    public static bool IsCached(string name, TrainingOptions? options = null, FashionMnistData? data = null)
    {
        var entry = Entry(name);
        if (entry.Recipe is null) return PretrainedResNet18.IsInstalled;
        data ??= FashionMnist.Load();
        string key = TrainedModelCache.Key(entry.Name, ArchitectureFingerprint(entry.Name), Fingerprint(data.Train), options ?? entry.Recipe);
        return TrainedModelCache.Default.TryGet(entry.Name, key) is not null;
    }

    /// <summary>Names and shapes of the untrained net's parameters and buffers: changes whenever the architecture does.</summary>
    private static string ArchitectureFingerprint(string name)
    {
        using var net = NetworkCatalog.Create(name, seed: 0);
        var text = new StringBuilder();
        foreach (var (parameterName, p) in net.named_parameters()) text.Append(parameterName).Append(string.Join("x", p.shape)).Append(';');
        foreach (var (bufferName, b) in net.named_buffers()) text.Append(bufferName).Append(string.Join("x", b.shape)).Append(';');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>SHA-256 of the images and labels (the training data's identity, whatever file they came from).</summary>
    private static string Fingerprint(LabelledImages data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(data.Pixels);
        sha.AppendData(data.Labels);
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
