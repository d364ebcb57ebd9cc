namespace Talk.Kit.Fusion;

/// <summary>
/// A pass changed what the model computes: ONNX Runtime gave different outputs before and after it
/// (DESIGN rule 3: a failed check is an error, not a warning).
/// </summary>
public sealed class PassVerificationException : Exception
{
    public PassVerificationException(string pass, OutputComparison comparison, EquivalenceTolerance tolerance)
        : base($"Pass '{pass}' changed output '{comparison.Output}': max |a−b| = {comparison.MaxAbsDiff:G4}, " +
               $"{comparison.MaxDiffOverScale:G4} of the output's largest value {comparison.MaxAbsBefore:G4} (allowed: {tolerance}). The pass is wrong for this graph; " +
               "leave it out of the pipeline and report the graph.")
    {
        Pass = pass;
        Comparison = comparison;
    }

    /// <summary>Name of the pass whose result differed.</summary>
    public string Pass { get; }

    /// <summary>The first output tensor that differed, with its diffs.</summary>
    public OutputComparison Comparison { get; }
}
