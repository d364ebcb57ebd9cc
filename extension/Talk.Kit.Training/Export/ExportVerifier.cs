using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Runtime;
using Talk.Kit.Training.Native;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Export;

/// <summary>
/// Runs a TorchSharp module and its ONNX export on the same inputs and compares the outputs: ONNX Runtime
/// (the kit's judge, at its default optimization level, as models are deployed) against TorchSharp in eval
/// mode without gradients.
/// </summary>
public static class ExportVerifier
{
    /// <summary>
    /// Default tolerance on max |torch − onnx| / max |onnx|: float32 sums of a few thousand products in a different
    /// order differ by ~1e-6 of the output's scale, so 1e-4 leaves room for kernel choice (TorchSharp on AVX-512 picks
    /// other kernels than on AVX2) and catches any real export error or wrong native kernel (≥ 1e-2 of the scale).
    /// </summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>Compares <paramref name="net"/> with <paramref name="onnx"/> on one batch of inputs.</summary>
    /// <param name="net">The module; it runs in eval mode (its training flag is restored afterwards).</param>
    /// <param name="onnx">The exported model: one float input, one float output.</param>
    /// <param name="inputs">Row-major input values, as many as <paramref name="shapeWithBatch"/> holds.</param>
    /// <param name="shapeWithBatch">Input shape with the batch first, e.g. [3,1,28,28].</param>
    /// <param name="tolerance">Largest max |torch − onnx| / max |onnx| that passes.</param>
    public static ExportVerification Verify(nn.Module<Tensor, Tensor> net, byte[] onnx, float[] inputs, long[] shapeWithBatch, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(shapeWithBatch);
        if (shapeWithBatch.Length == 0 || shapeWithBatch.Any(d => d <= 0))
            throw new ArgumentException($"The shape {OutputComparison.Shape(shapeWithBatch)} needs positive dims, batch first, e.g. [2,1,28,28].", nameof(shapeWithBatch));
        long count = shapeWithBatch.Aggregate(1L, (a, d) => a * d);
        if (inputs.LongLength != count)
            throw new ArgumentException($"{inputs.LongLength} input values do not fill the shape {OutputComparison.Shape(shapeWithBatch)} ({count} values).", nameof(inputs));

        ConvNumerics.Ensure();
        var (torchValues, torchShape) = RunTorch(net, inputs, shapeWithBatch);
        var (name, onnxValues, onnxShape) = RunOnnx(onnx, inputs, shapeWithBatch);
        var comparison = new OutputComparison(name, torchShape, onnxShape, MaxAbsDiff(torchValues, torchShape, onnxValues, onnxShape),
            onnxValues.Length == 0 ? 0 : onnxValues.Max(v => Math.Abs((double)v)), tolerance);
        return new ExportVerification(shapeWithBatch.ToArray(), tolerance, [comparison]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // natives resolve only after the fix
    private static (float[] Values, long[] Shape) RunTorch(nn.Module<Tensor, Tensor> net, float[] inputs, long[] shape)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var output = net.forward(ConvNumerics.Images(tensor(inputs, shape)));
            return (TensorValues.ToFloats(output), output.shape);
        }
        finally
        {
            if (wasTraining)
                net.train();
        }
    }

    private static (string Name, float[] Values, long[] Shape) RunOnnx(byte[] onnx, float[] inputs, long[] shape)
    {
        using var session = Ort.CreateSession(onnx);
        if (session.InputNames.Count != 1 || session.OutputNames.Count != 1)
            throw new ArgumentException($"The ONNX model has {session.InputNames.Count} inputs and {session.OutputNames.Count} outputs; a module export has one of each.", nameof(onnx));
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, shape); // pins `inputs` while it lives
        using var run = new RunOptions();
        using var outputs = session.Run(run, [session.InputNames[0]], [input], [session.OutputNames[0]]);
        var output = outputs[0];
        return (session.OutputNames[0], output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    private static double MaxAbsDiff(float[] a, long[] aShape, float[] b, long[] bShape)
    {
        if (!aShape.SequenceEqual(bShape))
            return double.PositiveInfinity;
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double diff = Math.Abs((double)a[i] - b[i]);
            if (double.IsNaN(diff))
                return double.NaN;
            max = Math.Max(max, diff);
        }
        return max;
    }
}
