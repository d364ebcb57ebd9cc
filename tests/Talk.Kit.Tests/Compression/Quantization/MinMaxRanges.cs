using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Talk.Kit.Compression.Quantization;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Compression.Quantization;

/// <summary>
/// MinMax ranges of every float tensor (graph inputs and node outputs), found by exposing them as extra graph outputs
/// and running batches in ONNX Runtime (no graph optimization, so every tensor keeps its name).
/// </summary>
// temporary until Calibration lands
internal static class MinMaxRanges
{
    public static ActivationRanges Compute(Model model, IEnumerable<(float[] Data, long[] Shape)> batches)
    {
        var proto = model.ToProto();
        var graph = proto.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var outputs = graph.Output.Select(o => o.Name).ToHashSet();
        foreach (string tensor in graph.Node.SelectMany(n => n.Output).Where(t => t.Length > 0 && !outputs.Contains(t)))
            graph.Output.Add(new ValueInfoProto { Name = tensor });

        var min = new Dictionary<string, float>();
        var max = new Dictionary<string, float>();
        int samples = 0;
        using var session = Ort.CreateSession(proto.ToByteArray(), threads: 1, GraphOptimizationLevel.ORT_DISABLE_ALL);
        using var runOptions = new RunOptions();
        string input = model.Inputs[0].Name;
        var names = session.OutputMetadata.Where(m => m.Value.ElementDataType == TensorElementType.Float).Select(m => m.Key).ToArray();
        foreach (var (data, shape) in batches)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
            Track(input, data);
            using var results = session.Run(runOptions, [input], [value], names);
            for (int i = 0; i < names.Length; i++)
                Track(names[i], results[i].GetTensorDataAsSpan<float>());
            samples += (int)shape[0];
        }
        var ranges = min.Keys.Where(k => !initializers.Contains(k)).ToDictionary(k => k, k => new TensorRange(min[k], max[k]));
        return new ActivationRanges(ranges, "minmax (test helper)", samples);

        void Track(string name, ReadOnlySpan<float> values)
        {
            var r = TensorRange.Of(values);
            min[name] = Math.Min(min.GetValueOrDefault(name, float.PositiveInfinity), r.Min);
            max[name] = Math.Max(max.GetValueOrDefault(name, float.NegativeInfinity), r.Max);
        }
    }

    /// <summary>Random batches, uniform in [−1, 1), fixed seed.</summary>
    public static IEnumerable<(float[] Data, long[] Shape)> Random(long[] shape, int batches = 4, int seed = 5)
    {
        var random = new Random(seed);
        long size = shape.Aggregate(1L, (a, b) => a * b);
        for (int b = 0; b < batches; b++)
            yield return (Enumerable.Range(0, (int)size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), shape);
    }
}
