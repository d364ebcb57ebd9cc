using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// The usual way in: a <see cref="Model"/> whose structure is checked AND that ONNX Runtime accepts
/// (it builds a session: types, shapes and a CPU kernel for every node).
/// </summary>
public static class ModelLoader
{
    /// <summary>Loads and validates an .onnx file.</summary>
    /// <exception cref="FileNotFoundException">No file there (the message lists the .onnx files beside it).</exception>
    /// <exception cref="ModelFormatException">The file is not a usable model.</exception>
    public static Model Load(string path) => Validate(Model.FromFile(path));

    /// <summary>Loads and validates a serialized model (the bytes are copied).</summary>
    /// <exception cref="ModelFormatException">The bytes are not a usable model.</exception>
    public static Model Load(byte[] bytes, string name) => Validate(Model.FromBytes(bytes, name));

    /// <summary>
    /// Asks ONNX Runtime to build a session for <paramref name="model"/> (one thread, no graph optimization:
    /// only the model is judged, not ORT's rewrites). Returns the model, so a pass can end with
    /// <c>ModelLoader.Validate(model.With(bytes, step))</c>.
    /// </summary>
    /// <exception cref="ModelFormatException">ONNX Runtime refuses the model; its reason is condensed into the message.</exception>
    public static Model Validate(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            using var session = Ort.CreateSession(model.ReadOnlyBytes, threads: 1, GraphOptimizationLevel.ORT_DISABLE_ALL);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException(
                $"ONNX Runtime {Ort.Version} cannot load model '{model.Name}' ({model.Lineage}): {OrtErrorText.Condense(e.Message)}. " +
                $"Check its operators and opset (supported: ai.onnx {SupportedOpsets.Range}, CPU kernels), or re-export it.", e);
        }
        return model;
    }
}
