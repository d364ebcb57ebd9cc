using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Interactive.Tests;

/// <summary>Models with no TorchSharp network behind them, for commands that must refuse or compress them one shot.</summary>
internal static class PlainModels
{
    /// <summary>A Fashion-MNIST-shaped classifier: Flatten → Gemm 10×784 (31 KB of random weights).</summary>
    public static Model Classifier()
    {
        var random = new Random(3);
        var bytes = new OnnxGraphBuilder("plain", opset: 13).Input("x", OnnxElementType.Float, -1, 1, 28, 28)
            .Node("Flatten", ["x"], ["f"], name: "flatten")
            .Initializer("W", Enumerable.Range(0, 10 * 784).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 10, 784)
            .Node("Gemm", ["f", "W"], ["y"], new Dictionary<string, object> { ["transB"] = 1L }, name: "fc")
            .Output("y", OnnxElementType.Float, -1, 10).ToBytes();
        return ModelLoader.Load(bytes, "plain");
    }
}
