using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>Quantization error of one layer's output: signal-to-quantization-noise ratio against the fp32 model.</summary>
/// <param name="Node">The quantized Conv/Gemm/MatMul.</param>
/// <param name="Tensor">Its output tensor (same name in both models).</param>
/// <param name="SqnrDb">10·log10(Σx² / Σ(x − x̂)²) in dB over every value of the evaluated images; higher is better
/// (each bit of a uniform quantizer adds ≈ 6 dB). The error accumulates: it includes every quantized layer before this one.</param>
public sealed record LayerError(string Node, string Tensor, double SqnrDb);

/// <summary>
/// Runs the fp32 model and the QDQ model side by side with each anchor's output exposed (ORT_DISABLE_ALL, so the QDQ
/// model computes the fake-quantized float values the int8 kernels reproduce) and measures SQNR per layer.
/// </summary>
public static class LayerErrorAnalysis
{
    public static IReadOnlyList<LayerError> Measure(Model fp32, QuantizationResult quantized, IEnumerable<(float[] Data, long[] Shape)> inputs,
        int? threads = null, CancellationToken cancellationToken = default)
    {
        var graph = quantized.Model.ToProto().Graph;
        var layers = quantized.ParamsByNode.Keys
            .Select(node => (Node: node, Tensor: graph.Node.FirstOrDefault(n => n.Name == node)?.Output.FirstOrDefault()))
            .Where(l => l.Tensor is { Length: > 0 }).Select(l => (l.Node, Tensor: l.Tensor!)).ToList();
        if (layers.Count == 0) return [];
        var names = layers.Select(l => l.Tensor).ToArray();
        using var reference = Exposed(fp32, names, threads);
        using var test = Exposed(quantized.Model, names, threads);
        var signal = new double[names.Length];
        var noise = new double[names.Length];
        foreach (var (data, shape) in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
            using var a = reference.Run(new RunOptions(), [reference.InputNames[0]], [input], names);
            using var b = test.Run(new RunOptions(), [test.InputNames[0]], [input], names);
            for (int t = 0; t < names.Length; t++)
            {
                var x = a[t].GetTensorDataAsSpan<float>();
                var y = b[t].GetTensorDataAsSpan<float>();
                for (int i = 0; i < x.Length; i++)
                {
                    signal[t] += (double)x[i] * x[i];
                    double e = x[i] - y[i];
                    noise[t] += e * e;
                }
            }
        }
        return layers.Select((l, t) => new LayerError(l.Node, l.Tensor, noise[t] > 0 ? 10 * Math.Log10(signal[t] / noise[t]) : double.PositiveInfinity)).ToList();
    }

    /// <summary>A session on a copy of the model with the named tensors as extra outputs.</summary>
    private static InferenceSession Exposed(Model model, IReadOnlyList<string> tensors, int? threads)
    {
        var proto = model.ToProto();
        ExposedOutputs.Add(proto.Graph, tensors);
        return Ort.CreateSession(proto.ToByteArray(), threads, GraphOptimizationLevel.ORT_DISABLE_ALL);
    }
}
