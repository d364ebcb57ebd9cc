using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// One ONNX Runtime session for a model with one float input and (at least) one float output: the common case of
/// classifiers and featurizers. Owns the session: dispose it.
/// </summary>
public sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();

    /// <param name="model">The model to run.</param>
    /// <param name="threads">Intra-op threads (default: physical cores).</param>
    /// <param name="level">Graph optimization level.</param>
    public ModelRunner(Model model, int? threads = null, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        Model = model;
        session = Ort.CreateSession(model.ToArray(), threads, level);
        var input = session.InputMetadata.First();
        InputName = input.Key;
        InputShape = input.Value.Dimensions;
        OutputName = session.OutputMetadata.Keys.First();
        if (input.Value.ElementType != typeof(float))
            throw new NotSupportedException($"Model '{model.Name}' takes {input.Value.ElementType.Name} input '{InputName}'; this runner feeds float tensors only.");
    }

    public Model Model { get; }

    /// <summary>Name of the (first) input.</summary>
    public string InputName { get; }

    /// <summary>Declared input shape; −1 marks a symbolic dimension.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>Name of the (first) output.</summary>
    public string OutputName { get; }

    /// <summary>The batch size the model insists on (e.g. 1 for an old export), or null when the batch is symbolic.</summary>
    public int? FixedBatch => InputShape.Count > 0 && InputShape[0] > 0 ? InputShape[0] : null;

    /// <summary>Runs one batch; returns the first output, row-major, with its shape.</summary>
    public (float[] Output, long[] Shape) Run(float[] input, long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = session.Run(runOptions, [InputName], [value], [OutputName]);
        var tensor = outputs[0];
        return (tensor.GetTensorDataAsSpan<float>().ToArray(), tensor.GetTensorTypeAndShape().Shape);
    }

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }
}
