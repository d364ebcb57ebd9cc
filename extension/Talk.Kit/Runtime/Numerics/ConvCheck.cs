using System.Globalization;

namespace Talk.Kit.Runtime.Numerics;

/// <summary>
/// One conv case along one route against the float64 reference: each error is max |Δ| / max |reference| (NaN when the
/// library produced a NaN), the worst over the probe's repeats.
/// </summary>
public sealed record ConvCheck(ConvCase Case, ConvRoute Route, double Output, double WeightGradient, double InputGradient)
{
    /// <summary>The largest of the three errors (NaN if any is NaN).</summary>
    public double Worst => double.IsNaN(Output) || double.IsNaN(WeightGradient) || double.IsNaN(InputGradient)
        ? double.NaN : Math.Max(Output, Math.Max(WeightGradient, InputGradient));

    /// <summary>Every error within <paramref name="tolerance"/> (a NaN never is).</summary>
    public bool IsCorrect(double tolerance) => Worst <= tolerance;

    /// <summary>Which results are wrong, e.g. "forward 1.6e-01" or "input gradient NaN".</summary>
    public string Wrong(double tolerance)
    {
        var parts = new List<string>();
        if (!(Output <= tolerance)) parts.Add("forward " + Format(Output));
        if (!(WeightGradient <= tolerance)) parts.Add("weight gradient " + Format(WeightGradient));
        if (!(InputGradient <= tolerance)) parts.Add("input gradient " + Format(InputGradient));
        return string.Join(", ", parts);
    }

    /// <summary>An error as "1.6e-01", or "NaN".</summary>
    public static string Format(double value) => double.IsNaN(value) ? "NaN" : value.ToString("0.0e+00", CultureInfo.InvariantCulture);
}
