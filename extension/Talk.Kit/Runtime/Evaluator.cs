using System.Diagnostics;
using Talk.Kit.Data;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// The kit's one evaluator: every accuracy and agreement number it shows comes from here, measured by ONNX Runtime
/// on the exported model (not by the training framework), so all techniques are judged alike.
/// </summary>
public static class Evaluator
{
    /// <summary>Top-1 accuracy, per-class accuracy and confusion matrix of a classifier on labelled images
    /// (fed as the kit's normalized NCHW tensors).</summary>
    public static ClassifierEvaluation Accuracy(Model model, LabelledImages data, int batchSize = 256, int? threads = null,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (data.Count == 0) throw new ArgumentException("No images to evaluate on.", nameof(data));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be at least 1.");
        var clock = Stopwatch.StartNew();
        using var runner = new ModelRunner(model, threads);
        int batch = runner.FixedBatch ?? batchSize;
        int classes = data.ClassNames.Count;
        var confusion = new int[classes][];
        for (int c = 0; c < classes; c++) confusion[c] = new int[classes];

        for (int start = 0; start < data.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batch, data.Count - start);
            if (runner.FixedBatch is { } fixedBatch && n != fixedBatch) break; // a fixed-batch model cannot take the remainder
            var (logits, shape) = runner.Run(data.ToTensorData(start, n), [n, 1, data.Rows, data.Cols]);
            int width = (int)(logits.Length / n);
            if (width != classes)
                throw new InvalidOperationException($"Model '{model.Name}' gives {width} outputs per image (shape [{string.Join(",", shape)}]) but the data has {classes} classes: is it a classifier for this dataset?");
            for (int i = 0; i < n; i++)
                confusion[data.Labels[start + i]][ArgMax(logits.AsSpan(i * width, width))]++;
            progress?.Report(new EvaluationProgress(start + n, data.Count));
        }

        var perClass = Enumerable.Range(0, classes)
            .Select(c => new ClassAccuracy(c, data.ClassNames[c], confusion[c].Sum(), confusion[c][c])).ToList();
        return new ClassifierEvaluation(model.Name, data.ToString(), perClass.Sum(p => p.Images), perClass.Sum(p => p.Correct),
            perClass, confusion, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Top-1 agreement and cosine similarity of <paramref name="model"/>'s outputs against
    /// <paramref name="reference"/>'s, on the same input batches (data, shape).</summary>
    public static AgreementEvaluation Agreement(Model model, Model reference, IEnumerable<(float[] Data, long[] Shape)> inputs,
        int? threads = null, CancellationToken cancellationToken = default)
    {
        using var a = new ModelRunner(model, threads);
        using var b = new ModelRunner(reference, threads);
        int samples = 0, agree = 0;
        double cosineSum = 0, cosineMin = double.PositiveInfinity, maxAbs = 0;
        foreach (var (data, shape) in inputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (ya, _) = a.Run(data, shape);
            var (yb, _) = b.Run(data, shape);
            if (ya.Length != yb.Length)
                throw new InvalidOperationException($"'{model.Name}' gives {ya.Length} output values and '{reference.Name}' {yb.Length} for the same input: they are not comparable.");
            int n = (int)shape[0], width = ya.Length / n;
            for (int i = 0; i < n; i++)
            {
                var va = ya.AsSpan(i * width, width);
                var vb = yb.AsSpan(i * width, width);
                if (ArgMax(va) == ArgMax(vb)) agree++;
                double cosine = Cosine(va, vb);
                cosineSum += cosine;
                cosineMin = Math.Min(cosineMin, cosine);
                for (int k = 0; k < width; k++) maxAbs = Math.Max(maxAbs, Math.Abs(va[k] - vb[k]));
                samples++;
            }
        }
        if (samples == 0) throw new ArgumentException("No inputs to compare on.", nameof(inputs));
        return new AgreementEvaluation(model.Name, reference.Name, samples, (double)agree / samples, cosineSum / samples, cosineMin, maxAbs);
    }

    /// <summary>Index of the largest value (the first one on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>cos θ = a·b / (|a|·|b|); 1 when both vectors are zero (identical outputs).</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 && nb == 0 ? 1 : dot / Math.Sqrt(na * nb);
    }
}
