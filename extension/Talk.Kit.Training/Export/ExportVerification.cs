using System.Globalization;

namespace Talk.Kit.Training.Export;

/// <summary>One output of a TorchSharp module compared with the same output of its ONNX export.</summary>
/// <param name="Name">The ONNX output's name, e.g. "logits".</param>
/// <param name="TorchShape">Shape TorchSharp produced, e.g. [2,10].</param>
/// <param name="OnnxShape">Shape ONNX Runtime produced.</param>
/// <param name="MaxAbsDiff">max |torch − onnx| over all elements; +∞ when the shapes differ, NaN when either side has NaN.</param>
/// <param name="Scale">max |onnx|: ONNX Runtime is the reference, so its output sets the scale.</param>
/// <param name="Tolerance">Largest <see cref="MaxDiffOverScale"/> that passes.</param>
public sealed record OutputComparison(string Name, IReadOnlyList<long> TorchShape, IReadOnlyList<long> OnnxShape, double MaxAbsDiff, double Scale, double Tolerance)
{
    /// <summary>True when both sides produced the same shape.</summary>
    public bool ShapesMatch => TorchShape.SequenceEqual(OnnxShape);

    /// <summary>
    /// max |Δ| / max |onnx|: the error relative to the output's scale, so one tolerance serves logits of 10 and features
    /// of 0.01 (the plain max |Δ| when the output is all zero).
    /// </summary>
    public double MaxDiffOverScale => Scale > 0 ? MaxAbsDiff / Scale : MaxAbsDiff;

    /// <summary>Same shape and <see cref="MaxDiffOverScale"/> within <see cref="Tolerance"/> (a NaN never passes).</summary>
    public bool Passed => ShapesMatch && MaxDiffOverScale <= Tolerance;

    /// <summary>E.g. "logits [2,10]: max |Δ| 3.1e-07 = 2.9e-08 of max |y| 10.6, ≤ 1e-04 passed".</summary>
    public override string ToString() => ShapesMatch
        ? $"{Name} {Shape(TorchShape)}: max |Δ| {Number(MaxAbsDiff)} = {Number(MaxDiffOverScale)} of max |y| {Scale.ToString("0.###", CultureInfo.InvariantCulture)}, {(Passed ? "≤" : ">")} {Number(Tolerance)} {(Passed ? "passed" : "FAILED")}"
        : $"{Name}: shape {Shape(OnnxShape)} in ONNX Runtime but {Shape(TorchShape)} in TorchSharp FAILED";

    internal static string Shape(IEnumerable<long> dims) => "[" + string.Join(",", dims) + "]";

    internal static string Number(double value) => value.ToString("0.0#e+00", CultureInfo.InvariantCulture);
}

/// <summary>TorchSharp (eval, no grad) against ONNX Runtime on the same inputs.</summary>
/// <param name="InputShape">Shape of the inputs both sides ran on, batch first, e.g. [2,1,28,28].</param>
/// <param name="Tolerance">Largest max |Δ| / max |onnx| that passes (default <see cref="ExportVerifier.DefaultTolerance"/>).</param>
/// <param name="Outputs">One comparison per output.</param>
public sealed record ExportVerification(IReadOnlyList<long> InputShape, double Tolerance, IReadOnlyList<OutputComparison> Outputs)
{
    /// <summary>True when every output passed.</summary>
    public bool Passed => Outputs.All(o => o.Passed);

    /// <summary>The largest difference over all outputs (NaN if any output has NaN).</summary>
    public double MaxAbsDiff => Outputs.Any(o => double.IsNaN(o.MaxAbsDiff)) ? double.NaN : Outputs.Max(o => o.MaxAbsDiff);

    /// <summary>The largest error relative to its output's scale (NaN if any output has NaN).</summary>
    public double MaxDiffOverScale => Outputs.Any(o => double.IsNaN(o.MaxAbsDiff)) ? double.NaN : Outputs.Max(o => o.MaxDiffOverScale);

    /// <summary>The first output that failed, or null.</summary>
    public OutputComparison? FirstMismatch => Outputs.FirstOrDefault(o => !o.Passed);

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first mismatching output, if any.</summary>
    /// <param name="subject">What was checked, for the message, e.g. "Export of 'lenet-5'".</param>
    public void ThrowIfFailed(string subject)
    {
        if (FirstMismatch is { } bad)
            throw new InvalidOperationException(
                $"{subject} does not match TorchSharp on inputs {OutputComparison.Shape(InputShape)}: output '{bad.Name}' " +
                (bad.ShapesMatch
                    ? $"differs by up to {OutputComparison.Number(bad.MaxAbsDiff)}, {OutputComparison.Number(bad.MaxDiffOverScale)} of its largest value {bad.Scale.ToString("0.###", CultureInfo.InvariantCulture)} (tolerance {OutputComparison.Number(Tolerance)} of it)."
                    : $"has shape {OutputComparison.Shape(bad.OnnxShape)} in ONNX Runtime but {OutputComparison.Shape(bad.TorchShape)} in TorchSharp."));
    }

    /// <summary>One line per output, after a header with the input shape.</summary>
    public override string ToString() =>
        $"TorchSharp vs ONNX Runtime on {OutputComparison.Shape(InputShape)}: {(Passed ? "passed" : "FAILED")}" +
        string.Concat(Outputs.Select(o => Environment.NewLine + "  " + o));
}
