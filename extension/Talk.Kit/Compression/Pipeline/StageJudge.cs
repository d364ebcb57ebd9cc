using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Compression.Pipeline;

/// <summary>
/// Judges each stage's model the same way: top-1 accuracy on held-out Fashion-MNIST images when the model is a
/// Fashion-MNIST classifier, and always agreement with the original (cosine of outputs, same arg-max) — which is how
/// a featurizer such as ResNet-18 is judged.
/// </summary>
public sealed class StageJudge
{
    private readonly Model original;
    private readonly QuantizationData data;
    private readonly int images;
    private readonly bool accuracy;

    private StageJudge(Model original, QuantizationData data, int images)
    {
        this.original = original;
        this.data = data;
        this.images = images;
        accuracy = data.CanMeasureAccuracy(original);
    }

    /// <param name="images">Test images; null: all for classifiers, <see cref="CompressionStudy.DefaultImageNetImages"/> otherwise.</param>
    public static StageJudge For(Model original, QuantizationData data, int? images)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(data);
        int n = images ?? (data.CanMeasureAccuracy(original) ? data.Test.Count : CompressionStudy.DefaultImageNetImages);
        return new StageJudge(original, data, Math.Min(n, data.Test.Count));
    }

    /// <summary>Test images a budget candidate is judged on: enough to rank recipes, few enough to try several (ImageNet nets run
    /// the original beside each candidate, ~0.2 s an image on 2 cores).</summary>
    public const int PlannerClassifierImages = 2000, PlannerImageNetImages = 32;

    /// <summary>A smaller judge for the budget planner's candidates.</summary>
    public static StageJudge ForPlanner(Model original, QuantizationData data, int? images)
    {
        int cap = data.CanMeasureAccuracy(original) ? PlannerClassifierImages : PlannerImageNetImages;
        return For(original, data, Math.Min(images ?? cap, cap));
    }

    /// <summary>The planner's score: accuracy for classifiers, mean cosine with the original's outputs otherwise.</summary>
    public (Func<Model, double> Score, string Measure) ForPlanner(CancellationToken cancellationToken) =>
        (m => Judge(m, cancellationToken) is var q && q.Accuracy is double a ? a : q.MeanCosine,
         accuracy ? $"accuracy on {images:N0} test images" : $"mean cosine with the original's outputs on {images:N0} test images");

    /// <summary>What the judgements are measured on.</summary>
    public string Description => $"{images:N0} Fashion-MNIST test images" + (accuracy ? "" : " (outputs compared with the original's)");

    /// <summary>The original model: its accuracy, and perfect agreement with itself (not measured).</summary>
    public StageQuality JudgeOriginal(CancellationToken cancellationToken = default) => JudgeOriginal(Accuracy(original, cancellationToken));

    /// <summary>The original model, its accuracy on these test images already measured.</summary>
    public StageQuality JudgeOriginal(double? measuredAccuracy) => new(accuracy ? measuredAccuracy : null, 1, 1);

    /// <summary>A stage's model: its accuracy (classifiers) and its agreement with the original.</summary>
    public StageQuality Judge(Model model, CancellationToken cancellationToken = default) => Judge(model, Accuracy(model, cancellationToken), cancellationToken);

    /// <summary>A stage's model whose accuracy on these test images is already measured: only its agreement is.</summary>
    public StageQuality Judge(Model model, double? measuredAccuracy, CancellationToken cancellationToken = default)
    {
        double? top1 = accuracy ? measuredAccuracy : null;
        var agreement = Evaluator.Agreement(model, original, data.TestBatches(original, images), cancellationToken: cancellationToken);
        return new StageQuality(top1, agreement.MeanCosine, agreement.Top1Agreement);
    }

    private double? Accuracy(Model model, CancellationToken cancellationToken) =>
        accuracy ? Evaluator.Accuracy(model, data.Test.Take(images), cancellationToken: cancellationToken).Accuracy : null;
}
