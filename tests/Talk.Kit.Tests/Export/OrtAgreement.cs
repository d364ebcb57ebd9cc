using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Training.Export;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Export;

/// <summary>
/// Two TorchSharp nets compared where the kit's judge runs them: each is exported (the exporter checks it against
/// TorchSharp), then both run in ONNX Runtime on the same inputs. Comparing a.call(x) with b.call(x) instead would let a
/// wrong libtorch kernel shared by both paths go unseen (issue 12).
/// </summary>
internal static class OrtAgreement
{
    /// <summary>max |ort(b) − ort(a)| / max |ort(a)| on a batch of Gaussian inputs of shape [batch, ..inputShape].</summary>
    public static double MaxDiffOverScale(nn.Module<Tensor, Tensor> a, nn.Module<Tensor, Tensor> b, long[] inputShape, int batch = 8, int seed = 1)
    {
        long[] shape = [batch, .. inputShape];
        var inputs = ExportAssert.Inputs(shape, seed);
        var (ya, _) = Run(a, "a", inputShape, inputs, shape);
        var (yb, _) = Run(b, "b", inputShape, inputs, shape);
        Assert.Equal(ya.Length, yb.Length);
        double diff = 0, scale = 0;
        for (int i = 0; i < ya.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)yb[i] - ya[i]));
            scale = Math.Max(scale, Math.Abs((double)ya[i]));
        }
        return scale > 0 ? diff / scale : diff;
    }

    private static (float[] Output, long[] Shape) Run(nn.Module<Tensor, Tensor> net, string name, long[] inputShape, float[] inputs, long[] shape)
    {
        using var runner = new ModelRunner(Model.FromBytes(OnnxExporter.Export(net, name, inputShape), name), threads: 1);
        return runner.Run(inputs, shape);
    }
}
