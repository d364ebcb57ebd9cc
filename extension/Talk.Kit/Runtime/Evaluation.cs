namespace Talk.Kit.Runtime;

/// <summary>Accuracy of one class.</summary>
public sealed record ClassAccuracy(int Label, string Name, int Images, int Correct)
{
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;
}

/// <summary>Accuracy of a classifier on a labelled set, measured by ONNX Runtime.</summary>
/// <param name="ModelName">The model evaluated.</param>
/// <param name="Data">What it was evaluated on (source, size).</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="Correct">Images whose top-1 prediction equals the label.</param>
/// <param name="PerClass">Accuracy per class.</param>
/// <param name="Confusion">Confusion[label][predicted] counts.</param>
/// <param name="Seconds">Wall time of the evaluation.</param>
public sealed record ClassifierEvaluation(string ModelName, string Data, int Images, int Correct, IReadOnlyList<ClassAccuracy> PerClass,
    IReadOnlyList<IReadOnlyList<int>> Confusion, double Seconds)
{
    /// <summary>Top-1 accuracy, 0–1.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;
}

/// <summary>How closely a model's outputs follow a reference model's on the same inputs (any model, featurizers too).</summary>
/// <param name="ModelName">The model compared.</param>
/// <param name="ReferenceName">The model it is compared with.</param>
/// <param name="Samples">Inputs compared.</param>
/// <param name="Top1Agreement">Share of inputs whose arg-max output index is the same, 0–1.</param>
/// <param name="MeanCosine">Mean cosine similarity of the per-input output vectors.</param>
/// <param name="MinCosine">Worst cosine similarity.</param>
/// <param name="MaxAbsDifference">Largest absolute difference of any output value.</param>
public sealed record AgreementEvaluation(string ModelName, string ReferenceName, int Samples, double Top1Agreement, double MeanCosine,
    double MinCosine, double MaxAbsDifference);

/// <summary>Progress of an evaluation.</summary>
public sealed record EvaluationProgress(int Done, int Total);
