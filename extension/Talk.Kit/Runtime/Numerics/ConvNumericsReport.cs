using System.Globalization;
using System.Text;

namespace Talk.Kit.Runtime.Numerics;

/// <summary>
/// What <see cref="ConvNumericsProbe"/> found: every conv case along every route against the float64 reference, and the
/// route the kit takes on this machine (the first route, in <see cref="ConvRoute"/> order, that got every case right).
/// </summary>
/// <param name="Library">The implementation judged, e.g. "libtorch 2.10.0 (TorchSharp 0.107.0)".</param>
/// <param name="MachineKey">The machine fingerprint the result belongs to (<see cref="MachineInfo.Fingerprint"/>).</param>
/// <param name="Tolerance">Largest max |Δ| / max |reference| that counts as correct.</param>
/// <param name="Repeats">Runs per case and route, each on fresh random data; the worst is kept (wrong results from
/// unset memory come and go).</param>
/// <param name="Checks">One per case and route.</param>
/// <param name="Chosen">The route to take; null when none was right.</param>
/// <param name="Seconds">How long the probe took.</param>
public sealed record ConvNumericsReport(string Library, string MachineKey, DateTimeOffset MeasuredAt, double Tolerance, int Repeats,
    IReadOnlyList<ConvCheck> Checks, ConvRoute? Chosen, double Seconds)
{
    private static readonly CultureInfo inv = CultureInfo.InvariantCulture;

    /// <summary>The routes that were checked, in order.</summary>
    public IReadOnlyList<ConvRoute> Routes => Checks.Select(c => c.Route).Distinct().Order().ToList();

    /// <summary>The cases checked on <paramref name="route"/> that were wrong.</summary>
    public IReadOnlyList<ConvCheck> Failures(ConvRoute route) => Checks.Where(c => c.Route == route && !c.IsCorrect(Tolerance)).ToList();

    /// <summary>True when <paramref name="route"/> was checked and got every case right.</summary>
    public bool IsCorrect(ConvRoute route) => Checks.Any(c => c.Route == route) && Failures(route).Count == 0;

    /// <summary>True when the library's default is right here: nothing to work around.</summary>
    public bool DefaultIsCorrect => IsCorrect(ConvRoute.Default);

    /// <summary>The cases (one route's worth).</summary>
    public int CaseCount => Checks.Count(c => c.Route == ConvRoute.Default);

    /// <summary>The finding in words: is the default right, and if not, where it is wrong and what the kit does instead.</summary>
    public string Verdict
    {
        get
        {
            string scope = $"{CaseCount} conv shapes, forward and both gradients, against a float64 reference (tolerance {Tolerance.ToString("0e+0", inv)} of each tensor's largest value)";
            if (DefaultIsCorrect)
                return $"{Library}: fp32 convolutions are correct on this CPU ({scope}). Training takes the default route, {ConvRoute.Default.Describe()}.";
            var failures = Failures(ConvRoute.Default);
            var worst = failures.OrderByDescending(f => double.IsNaN(f.Worst) ? double.PositiveInfinity : f.Worst).First();
            var text = new StringBuilder($"{Library}: the default fp32 convolution ({ConvRoute.Default.Describe()}) is WRONG on this CPU for {failures.Count} of {CaseCount} shapes, " +
                $"e.g. {worst.Case.Label}: {worst.Wrong(Tolerance)} of its scale ({scope}). ");
            text.Append(Chosen switch
            {
                ConvRoute.ChannelsLast => $"The kit trains and runs TorchSharp nets with channels-last activations instead ({ConvRoute.ChannelsLast.Describe()}), which matched the reference on every shape.",
                ConvRoute.WithoutOneDnn => $"Channels-last activations are wrong too, so the kit switched oneDNN off in this process ({ConvRoute.WithoutOneDnn.Describe()}; exact on every shape, slower).",
                _ => "No route the kit knows was right on every shape: TorchSharp training on this machine cannot be trusted; ONNX Runtime (which judges every export) is not affected.",
            });
            return text.ToString();
        }
    }

    /// <summary>The verdict, then one line per case that some route got wrong.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Verdict);
        foreach (var wrong in Checks.Where(c => !c.IsCorrect(Tolerance)))
            text.AppendLine().Append("  ").Append(wrong.Route.Describe()).Append(": ").Append(wrong.Case.Label).Append(": ").Append(wrong.Wrong(Tolerance));
        return text.ToString();
    }
}
