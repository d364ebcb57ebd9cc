using Onnx;
using Talk.Kit.Training.Export;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Export;

/// <summary>Shared checks: export, then compare ONNX Runtime with TorchSharp at several batch sizes.</summary>
internal static class ExportAssert
{
    /// <summary>Exports <paramref name="net"/> and checks max |Δ| ≤ 1e-4 of the output's scale at batch 1 and 3 (the graph has a symbolic batch).</summary>
    public static ModelProto ExportsEquivalently(nn.Module<Tensor, Tensor> net, long[] inputShape, float inputScale = 1f)
    {
        byte[] onnx = OnnxExporter.Export(net, "test", inputShape);
        foreach (long batch in new long[] { 1, 3 })
        {
            long[] shape = [batch, .. inputShape];
            var verification = ExportVerifier.Verify(net, onnx, Inputs(shape, seed: (int)batch, inputScale), shape);
            Assert.True(verification.Passed, verification.ToString());
            Assert.True(verification.MaxDiffOverScale <= 1e-4, verification.ToString());
            Assert.Equal(batch, verification.Outputs[0].OnnxShape[0]);
        }
        return ModelProto.Parser.ParseFrom(onnx);
    }

    /// <summary>Deterministic inputs, N(0, scale²), independent of TorchSharp's generator.</summary>
    public static float[] Inputs(long[] shape, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        long count = shape.Aggregate(1L, (a, d) => a * d);
        // Sum of 12 uniforms − 6 ≈ N(0,1) (Irwin–Hall): good enough for test data.
        return Enumerable.Range(0, (int)count)
            .Select(_ => scale * (float)(Enumerable.Range(0, 12).Sum(_ => random.NextDouble()) - 6))
            .ToArray();
    }

    /// <summary>Op types of the graph's nodes, in order.</summary>
    public static IReadOnlyList<string> OpTypes(ModelProto model) => model.Graph.Node.Select(n => n.OpType).ToList();

    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());
}
