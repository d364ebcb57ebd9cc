using System.Security.Cryptography;
using Google.Protobuf;
using Onnx;

namespace Talk.Kit.Models;

/// <summary>
/// An ONNX model as an immutable value (DESIGN rule 2): its serialized bytes, a name, and its lineage.
/// Creating one checks its structure (<see cref="ModelFormatException"/> otherwise); nothing here runs it —
/// <c>Runtime.ModelLoader</c> also asks ONNX Runtime. A pass never changes a model: it returns
/// <see cref="With(byte[], LineageStep, string?)"/>, which extends the lineage.
/// </summary>
public sealed class Model
{
    private readonly byte[] bytes;            // never handed out writable, never changed
    private readonly ModelFacts facts;
    private readonly Lazy<ModelProto> proto;  // parsed again only when a graph is asked for
    private readonly Lazy<string> fingerprint;

    private Model(byte[] ownedBytes, ModelProto parsed, string name, ModelLineage lineage, string? sourceFile)
    {
        bytes = ownedBytes;
        facts = ModelFacts.Of(parsed);
        proto = new Lazy<ModelProto>(() => ModelProto.Parser.ParseFrom(bytes));
        fingerprint = new Lazy<string>(() => Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Name = name;
        Lineage = lineage;
        SourceFile = sourceFile;
    }

    /// <summary>Short name used in reports and file-name suggestions.</summary>
    public string Name { get; }

    /// <summary>Where the chain began and the passes since.</summary>
    public ModelLineage Lineage { get; }

    /// <summary>Full path of the file the chain began with (which <see cref="Save"/> refuses to overwrite); null if it began from bytes.</summary>
    public string? SourceFile { get; }

    /// <summary>The serialized model, read-only.</summary>
    public ReadOnlyMemory<byte> Bytes => bytes;

    /// <summary>A copy of the serialized model that the caller owns.</summary>
    public byte[] ToArray() => bytes.ToArray();

    /// <summary>Serialized size in bytes.</summary>
    public long SizeBytes => bytes.Length;

    /// <summary>SHA-256 of the bytes, lower-case hex: equal fingerprints mean the same model.</summary>
    public string Fingerprint => fingerprint.Value;

    /// <summary>The model as a protobuf message: a fresh copy per call, so edit it freely, then <see cref="With(ModelProto, LineageStep, string?)"/>.</summary>
    public ModelProto ToProto() => proto.Value.Clone(); // Clone shares the immutable ByteStrings of the weights: cheap

    /// <summary>The parsed graph for reading inside the kit. Never modify it: use <see cref="ToProto"/> to edit.</summary>
    internal ModelProto ReadOnlyProto => proto.Value;

    /// <summary>The bytes without a copy, for ONNX Runtime inside the kit. Never modify them.</summary>
    internal byte[] ReadOnlyBytes => bytes;

    public long IrVersion => facts.IrVersion;
    public string Producer => facts.Producer;

    /// <summary>Inputs to feed (initializers listed as inputs, as old exporters did, are left out).</summary>
    public IReadOnlyList<TensorSpec> Inputs => facts.Inputs;
    public IReadOnlyList<TensorSpec> Outputs => facts.Outputs;

    /// <summary>Opset version per domain; the default domain (ai.onnx) is "".</summary>
    public IReadOnlyDictionary<string, long> OpsetImports => facts.OpsetImports;

    /// <summary>Default-domain opset version, or null when the model imports none.</summary>
    public long? Opset => facts.OpsetImports.TryGetValue("", out long v) ? v : null;

    /// <summary>Nodes per operator ("Conv"; other domains as "com.microsoft:FusedConv"), in order of first appearance.</summary>
    public IReadOnlyDictionary<string, int> OpTypeCounts => facts.OpTypeCounts;
    public int NodeCount => facts.NodeCount;
    public int InitializerCount => facts.InitializerCount;

    /// <summary>Bytes of all initializers as dense tensors (element count × element size).</summary>
    public long InitializerBytes => facts.InitializerBytes;

    /// <summary>Reads, parses and checks the structure of an ONNX model (ONNX Runtime is not asked: see <c>ModelLoader.Load</c>).</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="name">Name for reports; default: the file name without extension.</param>
    public static Model FromFile(string path, string? name = null)
    {
        string full = ModelFile.RequireExisting(path);
        return Create(File.ReadAllBytes(full), name ?? Path.GetFileNameWithoutExtension(full), ModelLineage.From(full), full);
    }

    /// <summary>Parses and checks the structure of a serialized model. The bytes are copied: later changes to the array do not reach the model.</summary>
    /// <param name="bytes">A serialized ONNX ModelProto.</param>
    /// <param name="name">Name for reports.</param>
    /// <param name="source">Where the bytes came from: a zoo name, a URL, or "bytes".</param>
    public static Model FromBytes(byte[] bytes, string name, string source = "bytes")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Create(bytes.ToArray(), name, ModelLineage.From(source), null);
    }

    /// <summary>The model a pass made from this one: the new bytes, checked, with <paramref name="step"/> added to the lineage.</summary>
    /// <param name="newBytes">The transformed model (copied).</param>
    /// <param name="step">What was done.</param>
    /// <param name="name">Name of the result; default "{Name}-{step.Pass}".</param>
    public Model With(byte[] newBytes, LineageStep step, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(newBytes);
        ArgumentNullException.ThrowIfNull(step);
        return Create(newBytes.ToArray(), name ?? $"{Name}-{step.Pass}", Lineage.Then(step), SourceFile);
    }

    /// <summary>As <see cref="With(byte[], LineageStep, string?)"/>, from an edited <see cref="ToProto"/>.</summary>
    public Model With(ModelProto newModel, LineageStep step, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(newModel);
        return With(newModel.ToByteArray(), step, name);
    }

    /// <summary>
    /// Writes the bytes atomically (a temporary file in the same folder, then a rename), creating the folder if needed.
    /// Refuses to overwrite <see cref="SourceFile"/>: a model's origin stays as it was.
    /// </summary>
    /// <returns>The full path written.</returns>
    public string Save(string path)
    {
        string full = Path.GetFullPath(path);
        if (SourceFile is not null && ModelFile.SamePath(full, SourceFile))
            throw new IOException(
                $"Refusing to overwrite '{full}': model '{Name}' was loaded from that file, and a model's source is never changed. " +
                $"Choose another name, e.g. {Path.GetFileNameWithoutExtension(full)}-{Lineage.Steps.LastOrDefault()?.Pass ?? "copy"}.onnx.");
        ModelFile.WriteAtomically(full, bytes);
        return full;
    }

    /// <summary>"lenet5: opset 17, 12 nodes, 10 initializers (246,824 B), 247,130 B, sha256 1a2b3c4d…".</summary>
    public override string ToString() =>
        $"{Name}: opset {Opset?.ToString() ?? "?"}, {NodeCount} nodes, {InitializerCount} initializers ({InitializerBytes:N0} B), " +
        $"{SizeBytes:N0} B, sha256 {Fingerprint[..8]}…";

    private static Model Create(byte[] ownedBytes, string name, ModelLineage lineage, string? sourceFile)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A model needs a name for its reports, e.g. \"lenet5\".", nameof(name));
        string where = $"model '{name}' ({lineage})";
        var parsed = StructuralCheck.Parse(ownedBytes, where);
        StructuralCheck.Check(parsed, where);
        return new Model(ownedBytes, parsed, name, lineage, sourceFile);
    }
}
