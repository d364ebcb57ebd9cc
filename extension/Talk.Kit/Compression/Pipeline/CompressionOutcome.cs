using Talk.Kit.Compression.Budget;
using Talk.Kit.Compression.Container;
using Talk.Kit.Models;

namespace Talk.Kit.Compression.Pipeline;

/// <summary>How well a stage's model does: accuracy for a Fashion-MNIST classifier, agreement with the original for any model.</summary>
/// <param name="Accuracy">Top-1 accuracy on held-out images (classifiers only).</param>
/// <param name="MeanCosine">Mean cosine of the outputs with the original model's (1 for the original itself).</param>
/// <param name="Top1Agreement">Share of inputs with the same arg-max output as the original.</param>
public sealed record StageQuality(double? Accuracy, double MeanCosine, double Top1Agreement);

/// <summary>One bar of the waterfall (Han et al. 2016, Fig. 1).</summary>
/// <param name="Bytes">Size of the stage's storage layout: dense fp32 initializers; relative-index entries with fp32
/// values; cluster indices with codebooks; the real file.</param>
/// <param name="Quality">The stage's model judged on test images; null for a stage that changes storage only.</param>
public sealed record CompressionStageResult(string Stage, long Bytes, StageQuality? Quality);

/// <summary>What <c>#!compress</c> did: the recipe, the waterfall, the per-layer table, the file, and the budget verdict.</summary>
/// <param name="Original">The model compressed.</param>
/// <param name="Result">The compressed model as ONNX Runtime runs it (decoded from the file when there is one).</param>
/// <param name="Recipe">Stages, sparsity and bits applied.</param>
/// <param name="Method">How it was done, in words (one shot or fine-tuned, where the recipe came from).</param>
/// <param name="Plan">What the budget planner tried; null without a budget.</param>
/// <param name="Stages">Dense → pruned → shared → Huffman, those that ran.</param>
/// <param name="Report">Per-layer sizes (the paper's Tables 2–3) and stage sizes of the file; null when nothing was compressed.</param>
/// <param name="File">The <c>.tkdc</c> bytes; null when huffman was not in the pipeline.</param>
/// <param name="QualityData">What the qualities were measured on.</param>
public sealed record CompressionOutcome(Model Original, Model Result, CompressionRecipe Recipe, string Method, BudgetPlan? Plan,
    IReadOnlyList<CompressionStageResult> Stages, CompressionReport? Report, byte[]? File, long? Budget, string QualityData, double Seconds)
{
    /// <summary>The size that counts: the file, or the last stage's layout when no file was written.</summary>
    public long FinalBytes => File?.LongLength ?? (Report is null ? Original.SizeBytes : Stages[^1].Bytes);

    /// <summary>Dense fp32 bytes ÷ <see cref="FinalBytes"/>.</summary>
    public double CompressionRatio => FinalBytes == 0 ? 0 : Stages[0].Bytes / (double)FinalBytes;

    /// <summary>The result is within the budget (true without one).</summary>
    public bool WithinBudget => Budget is not long b || FinalBytes <= b;

    /// <summary>Download limits and typical app sizes to hold the result against.</summary>
    public IReadOnlyList<AppSizeReference> References => AppSizeReferences.All;

    /// <summary>Writes the file atomically; returns the full path.</summary>
    /// <exception cref="InvalidOperationException">The pipeline had no huffman stage, so there is no file.</exception>
    public string Save(string path)
    {
        if (File is null) throw new InvalidOperationException("This pipeline wrote no file (it had no huffman stage); save Result as ONNX instead.");
        string full = Path.GetFullPath(path);
        IO.AtomicFile.WriteAllBytes(full, File);
        return full;
    }
}
