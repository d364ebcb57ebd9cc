using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

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
    public static TrainedModelCache Default => new(DefaultRoot());

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
        WriteAtomically(Path.Combine(folder, "model.onnx"), path => File.WriteAllBytes(path, onnx));
        if (saveWeights is not null) WriteAtomically(Path.Combine(folder, "weights.dat"), saveWeights);
        WriteAtomically(Path.Combine(folder, "training.json"), path => File.WriteAllText(path, JsonSerializer.Serialize(record, json)));
        return folder;
    }

    private static void WriteAtomically(string target, Action<string> write)
    {
        string temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("TALKKIT_CACHE") is { Length: > 0 } explicitRoot) return explicitRoot;
        string xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
            ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(xdg, "talkkit");
    }
}
