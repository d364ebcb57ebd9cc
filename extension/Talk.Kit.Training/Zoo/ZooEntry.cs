using Talk.Kit.Models;
using Talk.Kit.Training.Export;

namespace Talk.Kit.Training;

/// <summary>A name in the zoo.</summary>
/// <param name="Name">What to type: <c>#!model load lenet-5</c>.</param>
/// <param name="Kind">"trained here" (TorchSharp on Fashion-MNIST, cached) or "pretrained" (shipped weights).</param>
/// <param name="Description">Architecture and origin, one line.</param>
/// <param name="Recipe">Default training recipe of a trained-here net; null for pretrained ones.</param>
public sealed record ZooEntry(string Name, string Kind, string Description, TrainingOptions? Recipe);

/// <summary>A model from the zoo, with how it was made.</summary>
/// <param name="Model">The ONNX model (validated by ONNX Runtime).</param>
/// <param name="Entry">Its zoo entry.</param>
/// <param name="Training">The training record (trained-here nets), else null.</param>
/// <param name="FromCache">True when the trained weights came from the cache (no training ran now).</param>
/// <param name="Export">TorchSharp vs ONNX Runtime on real test images, when the net was trained (and exported) now.</param>
/// <param name="CacheFolder">Where the trained net is cached, for trained-here nets.</param>
public sealed record ZooModel(Model Model, ZooEntry Entry, TrainingRecord? Training, bool FromCache, ExportVerification? Export, string? CacheFolder);
