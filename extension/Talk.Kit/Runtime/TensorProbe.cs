using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// Learns the real shape of every tensor by running the model once in ONNX Runtime with every node output
/// made a graph output (in a copy; the model is a value and stays as it was).
/// </summary>
internal static class TensorProbe
{
    private const int Seed = 1234;

    /// <summary>Name → element type and shape, for the fed inputs and every node output ORT returned as a tensor.</summary>
    public static IReadOnlyDictionary<string, ShapedTensor> Run(Model model, int batch, IReadOnlyDictionary<string, long>? symbols, int? threads)
    {
        var shapes = new Dictionary<string, ShapedTensor>();
        var random = new Random(Seed);
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var input in model.Inputs)
            {
                var shape = ProbeInputs.ShapeFor(model, input, batch, symbols);
                values.Add(ProbeInputs.Create(input.ElementType, shape, random));
                names.Add(input.Name);
                shapes[input.Name] = new ShapedTensor(input.Name, input.ElementType, shape);
            }
            using var session = CreateSession(model, threads);
            using var runOptions = new RunOptions();
            var outputs = session.OutputNames;
            using var results = RunOnce(model, session, runOptions, names, values, outputs, shapes);
            for (int i = 0; i < outputs.Count; i++)
            {
                if (results[i].OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
                    continue; // sequences and maps have no single shape
                var info = results[i].GetTensorTypeAndShape();
                shapes[outputs[i]] = new ShapedTensor(outputs[i], (OnnxElementType)info.ElementDataType, new TensorShape(info.Shape));
            }
            return shapes;
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
        }
    }

    /// <summary>A session over a copy of the model whose graph outputs include every node output.</summary>
    private static InferenceSession CreateSession(Model model, int? threads)
    {
        var proto = model.ToProto();
        ExposedOutputs.Add(proto.Graph, proto.Graph.Node.SelectMany(n => n.Output));
        try
        {
            // No optimization: fusing would hide the very nodes we want to see (and exposed outputs block most fusions anyway).
            return Ort.CreateSession(proto.ToByteArray(), threads, GraphOptimizationLevel.ORT_DISABLE_ALL);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException(
                $"ONNX Runtime {Ort.Version} cannot load model '{model.Name}' ({model.Lineage}) with its intermediate tensors exposed: " +
                $"{OrtErrorText.Condense(e.Message)}. Check that ModelLoader.Validate accepts the model.", e);
        }
    }

    private static IDisposableReadOnlyCollection<OrtValue> RunOnce(Model model, InferenceSession session, RunOptions runOptions,
        List<string> names, List<OrtValue> values, IReadOnlyList<string> outputs, Dictionary<string, ShapedTensor> fed)
    {
        try
        {
            return session.Run(runOptions, names, values, outputs);
        }
        catch (OnnxRuntimeException e)
        {
            string inputs = string.Join(", ", names.Select(n => fed[n]));
            throw new InvalidOperationException(
                $"ONNX Runtime could not run model '{model.Name}' on {inputs}: {OrtErrorText.Condense(e.Message)}. " +
                "Check the batch and the values given for symbolic dimensions.", e);
        }
    }
}
