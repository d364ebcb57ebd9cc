using Talk.Kit.Training;

namespace Talk.Kit.Interactive.Commands;

/// <summary>
/// The TorchSharp network behind a workspace model, kept by <c>#!model load/train</c>: the commands that retrain or
/// prune (QAT, pruning) work on it, because an ONNX file alone cannot be fine-tuned.
/// </summary>
internal static class TrainedNetworks
{
    /// <summary>The zoo model <paramref name="name"/> came from, if it still matches the workspace model and was trained here.</summary>
    /// <param name="why">The sentence that starts the error, e.g. "QAT fine-tunes the TorchSharp network behind 'lenet'".</param>
    /// <param name="example">What to type after loading a zoo model.</param>
    public static ZooModel Of(string name, Talk.Kit.Models.Model model, string why, string example) =>
        Find(name, model) ?? throw new ArgumentException($"{why}, and the kit has none for it: that needs a zoo network trained here " +
                $"(#!model zoo lists them). Try: #!model load lenet-5 --as lenet, then {example}");

    /// <summary>The zoo model behind <paramref name="name"/>, or null when there is none (a plain ONNX model).</summary>
    public static ZooModel? Find(string name, Talk.Kit.Models.Model model) =>
        // The fingerprint check catches a name reused for another model (e.g. an #!optimize result stored --as lenet).
        Kit.Results.TryGetValue(ModelMagic.TrainedNetworkKey(name), out var value) && value is ZooModel zm && zm.Model.Fingerprint == model.Fingerprint && zm.Entry.Recipe is not null
            ? zm : null;
}
