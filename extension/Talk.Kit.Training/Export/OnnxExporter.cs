using System.Runtime.CompilerServices;
using Talk.Kit.Training.Native;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Export;

/// <summary>
/// Exports a TorchSharp module tree to ONNX (opset 17, IR 8) by walking its named children; TorchSharp has no
/// exporter of its own. Every export is checked against TorchSharp in ONNX Runtime before it is returned.
/// </summary>
/// <remarks>
/// Module → ONNX (see <c>ModuleRules</c>): Sequential → its children; InvertedResidual → its block, then Add;
/// Linear → Gemm; Conv2d → Conv; BatchNorm2d → BatchNormalization; ReLU → Relu; ReLU6 → Clip(0, 6);
/// MaxPool2d → MaxPool; AvgPool2d → AveragePool; AdaptiveAvgPool2d(1) → GlobalAveragePool;
/// Flatten → Flatten(axis 1); Dropout → nothing. Nodes and their output values are named by module path
/// (<c>features.conv1</c>), initializers by parameter path (<c>features.conv1.weight</c>). The batch dimension of
/// input and output is the symbolic "batch". Semantics are those of eval mode.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>Batch size of the random inputs every export is verified on (not 1, so batch handling is exercised).</summary>
    public const int VerificationBatch = 2;

    /// <summary>Exports <paramref name="net"/> and verifies it on random N(0,1) inputs of batch 2.</summary>
    /// <param name="net">The module; it is put in eval mode while exporting (its training flag is restored).</param>
    /// <param name="graphName">Name of the ONNX graph, e.g. "lenet-5".</param>
    /// <param name="inputShape">One sample's shape, without the batch, e.g. [1,28,28].</param>
    /// <param name="inputName">Name of the graph input.</param>
    /// <param name="outputName">Name of the graph output.</param>
    /// <returns>The serialized ONNX model.</returns>
    /// <exception cref="NotSupportedException">A module (named by path and type) has no ONNX rule, or settings the rule cannot express.</exception>
    /// <exception cref="InvalidOperationException">ONNX Runtime's output differs from TorchSharp's by more than <see cref="ExportVerifier.DefaultTolerance"/>.</exception>
    public static byte[] Export(nn.Module<Tensor, Tensor> net, string graphName, long[] inputShape, string inputName = "input", string outputName = "logits")
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputName);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"The input shape {OutputComparison.Shape(inputShape)} needs positive dims without the batch, e.g. [1,28,28].", nameof(inputShape));
        if (inputName == outputName)
            throw new ArgumentException($"Input and output need different names; both are '{inputName}'.", nameof(outputName));

        TorchNativeFix.Apply();
        return ExportAndVerify(net, graphName, inputShape, inputName, outputName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // natives resolve only after the fix
    private static byte[] ExportAndVerify(nn.Module<Tensor, Tensor> net, string graphName, long[] inputShape, string inputName, string outputName)
    {
        bool wasTraining = net.training;
        net.eval();
        try
        {
            var graph = new ExportGraph(inputName);
            string rootPath = ModuleRules.IsContainer(net) ? "" : net.GetType().Name.ToLowerInvariant();
            var result = graph.Emit(net, rootPath, new OnnxValue(inputName, inputShape.Length + 1));
            byte[] onnx = graph.ToBytes(graphName, inputName, [-1, .. inputShape], outputName, OutputDims(net, inputShape), result);

            long[] batch = [VerificationBatch, .. inputShape];
            var inputs = GaussianInputs.Create(batch.Aggregate(1L, (a, d) => a * d), seed: 0);
            ExportVerifier.Verify(net, onnx, inputs, batch).ThrowIfFailed($"The ONNX export of '{graphName}'");
            return onnx;
        }
        finally
        {
            if (wasTraining)
                net.train();
        }
    }

    /// <summary>The output shape with a symbolic batch, e.g. [-1,10], found by one forward pass on zeros of batch 1.</summary>
    private static long[] OutputDims(nn.Module<Tensor, Tensor> net, long[] inputShape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = net.forward(zeros([1, .. inputShape]));
        return [-1, .. output.shape.Skip(1)];
    }
}
