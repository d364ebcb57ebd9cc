using Talk.Kit.Data;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// Feeds labelled images to a model in the form it takes: Fashion-MNIST nets get the kit's normalized
/// [N,1,28,28]; ImageNet nets ([N,3,224,224]) get the images upscaled by <see cref="ImageNetFeed"/> and passed
/// through their preprocessing model (given), one image at a time when the model's batch is fixed.
/// </summary>
public static class ImageInputs
{
    /// <summary>Batches of the first <paramref name="count"/> images, shaped for <paramref name="model"/>.</summary>
    public static IEnumerable<(float[] Data, long[] Shape)> For(Model model, LabelledImages images, int count, int batch = 64, Model? preprocess = null)
    {
        count = Math.Min(count, images.Count);
        var dims = model.Inputs[0].Dims ?? [];
        bool fixedBatch = dims.Count > 0 && dims[0].Value > 0;
        int b = fixedBatch ? (int)dims[0].Value!.Value : batch;
        if (dims.Count == 4 && dims[1].Value == 1 && dims[2].Value == images.Rows && dims[3].Value == images.Cols)
            return Batches(count, b, fixedBatch, (start, n) => (images.ToTensorData(start, n), [n, 1, images.Rows, images.Cols]));
        if (dims.Count == 4 && dims[1].Value == 3 && dims[2].Value == ImageNetFeed.Side && dims[3].Value == ImageNetFeed.Side)
        {
            if (preprocess is null)
                throw new ArgumentException($"Model '{model.Name}' takes ImageNet-sized input; pass its preprocessing model (e.g. PretrainedResNet18.LoadPreprocess()).", nameof(preprocess));
            return ImageNetBatches(images, count, b, preprocess);
        }
        throw new NotSupportedException($"Model '{model.Name}' takes input {model.Inputs[0]}; the kit can feed [N,1,{images.Rows},{images.Cols}] (Fashion-MNIST) or [N,3,224,224] (ImageNet) models.");
    }

    private static IEnumerable<(float[], long[])> Batches(int count, int batch, bool fixedBatch, Func<int, int, (float[], long[])> make)
    {
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            if (fixedBatch && n != batch) yield break; // a fixed-batch model cannot take the remainder
            yield return make(start, n);
        }
    }

    private static IEnumerable<(float[], long[])> ImageNetBatches(LabelledImages images, int count, int batch, Model preprocess)
    {
        using var prep = new ModelRunner(preprocess, threads: 1);
        int plane = 3 * ImageNetFeed.Side * ImageNetFeed.Side;
        var rgb = new float[plane];
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            var data = new float[n * plane];
            for (int i = 0; i < n; i++)
            {
                ImageNetFeed.FromGray(images.Image(start + i), images.Rows, images.Cols, rgb);
                var (prepared, _) = prep.Run(rgb, [1, 3, ImageNetFeed.Side, ImageNetFeed.Side]);
                prepared.CopyTo(data, i * plane);
            }
            yield return (data, [n, 3, ImageNetFeed.Side, ImageNetFeed.Side]);
        }
    }
}
