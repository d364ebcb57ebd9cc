using System.Diagnostics;

namespace Talk.Kit.Runtime.Numerics;

/// <summary>
/// Checks a library's fp32 convolution — forward, weight gradient and input gradient — against
/// <see cref="ConvReference"/> on the cases of <see cref="ConvCase.Standard"/>, along each route the library offers.
/// Why: libtorch 2.10's oneDNN convolution was found to return wrong sums (and sometimes NaN) on an AVX-512 machine
/// while passing on AVX2 ones (issue 12); a training run cannot notice, only a reference can.
/// </summary>
public static class ConvNumericsProbe
{
    /// <summary>
    /// Largest max |Δ| / max |reference| that is correct. An fp32 sum of n products carries a relative error of about
    /// √n·2⁻²⁴ (n ≤ 1,296 here: ~2e-6); the bugs it must catch are 1e-2 and more.
    /// </summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>Runs every case <paramref name="repeats"/> times along every route of <paramref name="conv"/>.</summary>
    public static ConvNumericsReport Run(IConvUnderTest conv, string machineKey, IReadOnlyList<ConvCase>? cases = null, int repeats = 2,
        double tolerance = DefaultTolerance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance is a positive fraction, e.g. 1e-4.");
        cases ??= ConvCase.Standard;
        foreach (var c in cases) c.Validate();
        var clock = Stopwatch.StartNew();
        var routes = conv.Routes.Distinct().Order().ToList();
        // worst[(case, route)] = (forward, weight gradient, input gradient) errors over the repeats
        var worst = new Dictionary<(int Case, ConvRoute Route), (double Y, double W, double X)>();
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            for (int r = 0; r < repeats; r++)
            {
                // One draw of data and one reference per case and repeat, shared by the routes: equal terms, and the
                // float64 reference (the slow part) is computed once.
                var random = new Random(HashCode.Combine(i, r, 12));
                var x = Uniform(random, c.InputLength);
                var w = Uniform(random, c.WeightLength);
                var g = Uniform(random, c.OutputLength);
                var (y, dw, dx) = ConvReference.Run(c, x, w, g);
                foreach (var route in routes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var got = conv.Run(c, route, x, w, g);
                    var was = worst.GetValueOrDefault((i, route));
                    worst[(i, route)] = (Worse(was.Y, ConvReference.MaxDiffOverScale(got.Output, y)),
                        Worse(was.W, ConvReference.MaxDiffOverScale(got.WeightGradient, dw)),
                        Worse(was.X, ConvReference.MaxDiffOverScale(got.InputGradient, dx)));
                }
            }
        }
        var checks = routes.SelectMany(route => cases.Select((c, i) =>
            new ConvCheck(c, route, worst[(i, route)].Y, worst[(i, route)].W, worst[(i, route)].X))).ToList();
        ConvRoute? chosen = routes.Cast<ConvRoute?>().FirstOrDefault(r => checks.Where(c => c.Route == r).All(c => c.IsCorrect(tolerance)));
        return new ConvNumericsReport(conv.Library, machineKey, DateTimeOffset.UtcNow, tolerance, repeats, checks, chosen, clock.Elapsed.TotalSeconds);
    }

    private static double Worse(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    private static float[] Uniform(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
