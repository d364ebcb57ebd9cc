using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>
/// Observes a model's activations on calibration batches: the observed tensors become extra graph outputs of a
/// copy of the model (the model itself is a value and stays as it was), ONNX Runtime runs it at ORT_DISABLE_ALL so
/// every tensor keeps its name (a fusion would make intermediate tensors disappear), and each output's values are
/// folded into its <see cref="TensorStatistics"/> and dropped. Memory: the statistics are bounded (extremes plus a
/// fixed histogram per tensor); a run's outputs are not — they are one batch of every observed tensor
/// (ResNet-18: ~9 MB per image), freed after each batch.
/// Owns an ONNX Runtime session: dispose it.
/// </summary>
public sealed class ActivationCollector : IDisposable
{
    private readonly Model model;
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly TensorSpec input;
    private readonly string[] outputNames;           // observed node outputs, fetched from the session
    private readonly TensorStatistics[] outputStats;  // same order as outputNames
    private readonly TensorStatistics? inputStats;   // the graph input, observed from the fed data itself

    /// <param name="model">A model with one float input.</param>
    /// <param name="tensors">Names to observe; null: the graph input and every float node output.</param>
    /// <param name="bins">Histogram bins of |x| per tensor, or null for extremes only.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; null: physical cores.</param>
    /// <exception cref="QuantizationException">Not one float input, an unknown or non-float tensor, or ONNX Runtime cannot load the copy.</exception>
    public ActivationCollector(Model model, IReadOnlyList<string>? tensors = null, int? bins = null, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        this.model = model;
        if (model.Inputs.Count != 1)
            throw new QuantizationException(
                $"Model '{model.Name}' has {model.Inputs.Count} inputs ({string.Join(", ", model.Inputs.Select(i => i.Name))}); " +
                "calibration feeds exactly one float input (an image batch).");
        input = model.Inputs[0];
        if (input.ElementType != OnnxElementType.Float)
            throw new QuantizationException($"Input {input} of model '{model.Name}' is not float; calibration feeds float tensors.");

        var proto = model.ToProto();
        var graph = proto.Graph;
        var nodeOutputs = graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0).Distinct().ToList();
        var wanted = tensors is null ? nodeOutputs.Prepend(input.Name).ToList() : Check(tensors, graph, nodeOutputs);
        var wantedOutputs = wanted.Where(t => t != input.Name).ToList();

        ExposedOutputs.Add(graph, wantedOutputs);
        try
        {
            session = Ort.CreateSession(proto.ToByteArray(), threads, GraphOptimizationLevel.ORT_DISABLE_ALL);
        }
        catch (OnnxRuntimeException e)
        {
            throw new QuantizationException(
                $"ONNX Runtime {Ort.Version} cannot load model '{model.Name}' with its tensors exposed for calibration: {OrtErrorText.Condense(e.Message)}.");
        }

        // Keep float tensors. A default choice drops the others (shapes, indices) silently; an explicit one is an error.
        var kept = new List<string>();
        foreach (string name in wantedOutputs)
        {
            var meta = session.OutputMetadata[name];
            bool isFloat = meta.IsTensor && meta.ElementType == typeof(float);
            if (isFloat) kept.Add(name);
            else if (tensors is not null)
            {
                Dispose();
                throw new QuantizationException(
                    $"Tensor '{name}' of model '{model.Name}' is {meta.ElementType.Name}, not float: only float activations are calibrated.");
            }
        }
        outputNames = kept.ToArray();
        int? histogramBins = bins;
        outputStats = outputNames.Select(n => new TensorStatistics(n, histogramBins)).ToArray();
        inputStats = wanted.Contains(input.Name) ? new TensorStatistics(input.Name, histogramBins) : null;
        FixedBatch = input.Dims is [{ Value: { } b }, ..] ? (int)b : null;
    }

    /// <summary>Name of the input fed.</summary>
    public string InputName => input.Name;

    /// <summary>The batch size the model insists on (e.g. 1 for an old export), or null when its batch is symbolic.</summary>
    public int? FixedBatch { get; }

    /// <summary>Samples (rows of the batch dimension) run so far.</summary>
    public int Samples { get; private set; }

    /// <summary>The statistics of every observed tensor: the input first (if observed), then node outputs in graph order.</summary>
    public IReadOnlyList<TensorStatistics> Statistics => inputStats is null ? outputStats : [inputStats, .. outputStats];

    /// <summary>Runs one batch (row-major data, NCHW shape whose first dimension is the batch) and folds its activations in.</summary>
    /// <exception cref="QuantizationException">The shape does not fit the model's input, or ONNX Runtime fails.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (a run under way is stopped through ONNX Runtime's terminate flag).</exception>
    public void Add(Memory<float> data, long[] shape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        cancellationToken.ThrowIfCancellationRequested();
        CheckShape(data.Length, shape);
        inputStats?.Add(data.Span);
        if (outputNames.Length > 0)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data, shape);
            using var outputs = Run(value, cancellationToken);
            for (int i = 0; i < outputNames.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                outputStats[i].Add(outputs[i].GetTensorDataAsSpan<float>());
            }
            cancellationToken.ThrowIfCancellationRequested(); // cancelled while the last statistics were added: do not count the batch
        }
        Samples += (int)shape[0];
    }

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(OrtValue value, CancellationToken cancellationToken)
    {
        // Cancelling sets ORT's terminate flag, which stops the run between nodes: prompt even for a large batch.
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return session.Run(runOptions, [input.Name], [value], outputNames);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Calibration was cancelled.", cancellationToken);
        }
        catch (OnnxRuntimeException e)
        {
            throw new QuantizationException($"ONNX Runtime could not run model '{model.Name}' on a calibration batch: {OrtErrorText.Condense(e.Message)}.");
        }
        finally
        {
            runOptions.Terminate = false; // the collector stays usable
        }
    }

    /// <summary>Rank, fixed dimensions and element count must fit the declared input; a readable error otherwise.</summary>
    private void CheckShape(int length, long[] shape)
    {
        string given = "[" + string.Join(",", shape) + "]";
        string Wrong(string why) =>
            $"A calibration batch of shape {given} does not fit input {input} of model '{model.Name}': {why}. " +
            "Feed batches shaped like the model's input (first dimension: the batch), normalized as in training.";
        if (shape.Length == 0 || shape[0] < 1)
            throw new QuantizationException(Wrong("the first dimension must be the batch, at least 1"));
        long elements = shape.Aggregate(1L, (n, d) => n * d);
        if (elements != length)
            throw new QuantizationException(Wrong($"the shape holds {elements} values but the data has {length}"));
        if (input.Dims is not { } dims) return;
        if (dims.Count != shape.Length)
            throw new QuantizationException(Wrong($"rank {shape.Length}, expected {dims.Count}"));
        for (int d = 0; d < dims.Count; d++)
            if (dims[d].Value is { } expected && expected != shape[d])
                throw new QuantizationException(Wrong($"dimension {d} is {shape[d]}, expected {expected}"));
    }

    /// <summary>Every asked name must be the graph input or a node output; weights and unknown names are readable errors.</summary>
    private List<string> Check(IReadOnlyList<string> tensors, GraphProto graph, List<string> nodeOutputs)
    {
        if (tensors.Count == 0)
            throw new QuantizationException("No tensors to calibrate were given. Pass null to observe every float activation, or name some.");
        var known = nodeOutputs.Prepend(input.Name).ToHashSet();
        var weights = graph.Initializer.Select(i => i.Name).ToHashSet();
        foreach (string t in tensors)
        {
            if (weights.Contains(t))
                throw new QuantizationException(
                    $"'{t}' is a weight (initializer) of model '{model.Name}', not an activation: weights are quantized from their own values, without calibration.");
            if (!known.Contains(t))
                throw new QuantizationException(
                    $"Model '{model.Name}' has no tensor named '{t}'. Activations it has: " +
                    string.Join(", ", known.Take(12)) + (known.Count > 12 ? $", … ({known.Count} in all)" : "") + ".");
        }
        return tensors.Distinct().ToList();
    }
}
