using Talk.Kit.Data;
using Talk.Kit.Training.Native;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// Top-1 accuracy of a TorchSharp module, for what ONNX Runtime cannot run yet (a fake-quantized network before the
/// static quantizer exists). Float models are judged by the kit's one evaluator, <c>Evaluator.Accuracy</c>.
/// </summary>
public static class TorchAccuracy
{
    /// <summary>Fraction of <paramref name="data"/> classified right, in eval mode without gradients (the training flag is restored).</summary>
    public static double Of(nn.Module<Tensor, Tensor> net, LabelledImages data, int batchSize = 250)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        bool wasTraining = net.training;
        net.eval();
        try
        {
            using var noGrad = no_grad();
            long correct = 0;
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, data.Count - start);
                var logits = net.call(ConvNumerics.Images(tensor(data.ToTensorData(start, n), [n, 1, data.Rows, data.Cols])));    // [n,10]
                var labels = tensor(data.Labels.AsSpan(start, n).ToArray().Select(l => (long)l).ToArray(), [n]);
                correct += logits.argmax(1).eq(labels).sum().item<long>();
            }
            return data.Count == 0 ? 0 : (double)correct / data.Count;
        }
        finally
        {
            net.train(wasTraining);
        }
    }
}
