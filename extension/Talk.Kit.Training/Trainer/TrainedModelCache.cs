using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Talk.Kit.IO;
using Talk.Kit.Runtime;

namespace Talk.Kit.Training;

/// <summary>What a cache entry remembers about how its weights were made.</summary>
/// <param name="Architecture">Catalogue name, e.g. "lenet-5".</param>
/// <param name="Options">The training hyper-parameters.</param>
/// <param name="DataFingerprint">SHA-256 of the training images and labels used.</param>
/// <param name="DataDescription">Where the data came from (full set or subset, folder).</param>
/// <param name="Epochs">Per-epoch loss, accuracy and speed.</param>
/// <param name="TrainedAtUtc">When the weights were trained.</param>
public sealed record TrainingRecord(string Architecture, TrainingOptions Options, string DataFingerprint, string DataDescription,
    IReadOnlyList<EpochResult> Epochs, DateTime TrainedAtUtc)
{
    /// <summary>Total training time in seconds.</summary>
    public double Seconds => Epochs.Sum(e => e.Seconds);
}

/// <summary>
/// Trained weights kept between sessions, so notebooks reuse them instead of retraining: one folder per
/// (architecture, architecture version, data, hyper-parameters), holding the exported ONNX model, the TorchSharp
/// weights and the training record. Any change of those inputs gives a new key, hence a new training run.
/// Location: <c>$TALKKIT_CACHE</c>, else <c>$XDG_CACHE_HOME/talkkit</c>, else <c>~/.cache/talkkit</c>.
/// </summary>
public sealed class TrainedModelCache(string root)
{
    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    /// <summary>The cache folder this instance uses.</summary>
    public string Root { get; } = root;

    /// <summary>The cache at the default location.</summary>
    public static TrainedModelCache Default => new(KitCacheFolder.Root);

    /// <summary>Key of a training run: SHA-256 over everything that determines the weights.</summary>
    public static string Key(string architecture, string architectureVersion, string dataFingerprint, TrainingOptions options) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{architecture}|{architectureVersion}|{dataFingerprint}|{JsonSerializer.Serialize(options)}")))[..16];

    /// <summary>The folder of an entry (it may not exist yet).</summary>
    public string EntryFolder(string architecture, string key) => Path.Combine(Root, "models", $"{architecture}-{key}");

    /// <summary>The cached ONNX bytes and record, or null when this key was never trained (or its entry is incomplete).</summary>
    public (byte[] Onnx, TrainingRecord Record)? TryGet(string architecture, string key)
    {
        string folder = EntryFolder(architecture, key);
        string onnx = Path.Combine(folder, "model.onnx"), record = Path.Combine(folder, "training.json");
        if (!File.Exists(onnx) || !File.Exists(record)) return null;
        try
        {
            return (File.ReadAllBytes(onnx), JsonSerializer.Deserialize<TrainingRecord>(File.ReadAllText(record), json)!);
        }
        catch (JsonException)
        {
            return null; // a damaged record is treated as a miss: the entry is retrained and rewritten
        }
    }

    /// <summary>Stores an entry; each file is written atomically (temp file, then rename), the record last.</summary>
    public string Put(string architecture, string key, byte[] onnx, TrainingRecord record, Action<string>? saveWeights = null)
    {
        string folder = EntryFolder(architecture, key);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllBytes(Path.Combine(folder, "model.onnx"), onnx);
        if (saveWeights is not null) AtomicFile.Write(Path.Combine(folder, "weights.dat"), saveWeights);
        AtomicFile.WriteAllText(Path.Combine(folder, "training.json"), JsonSerializer.Serialize(record, json)); // last: it marks the entry complete
        return folder;
    }
}
