using Talk.Kit.Runtime.Numerics;

namespace Talk.Kit.Tests.Runtime.Numerics;

/// <summary>The probe is a real judge: a convolution that returns wrong sums (or NaN) on some route is caught there.</summary>
public sealed class ConvNumericsProbeTests
{
    /// <summary>The reference in float, spoiled on the routes and cases a test chooses.</summary>
    private sealed class StubConv(Func<ConvCase, ConvRoute, bool> wrong, float error = 0.05f, bool nan = false) : IConvUnderTest
    {
        public string Library => "stub 1.0";
        public IReadOnlyList<ConvRoute> Routes => [ConvRoute.Default, ConvRoute.ChannelsLast, ConvRoute.WithoutOneDnn];

        public ConvOutputs Run(ConvCase c, ConvRoute route, float[] input, float[] weight, float[] outputGradient)
        {
            var (y, dw, dx) = ConvReference.Run(c, input, weight, outputGradient);
            var output = y.Select(v => (float)v).ToArray();
            if (wrong(c, route))
                output[output.Length / 2] = nan ? float.NaN : output[output.Length / 2] + error * (float)y.Max(Math.Abs);
            return new ConvOutputs(output, dw.Select(v => (float)v).ToArray(), dx.Select(v => (float)v).ToArray());
        }
    }

    private static readonly ConvCase Small = new(2, 5, 4, 3, 1, 1, 1, 6, 6);
    private static readonly ConvCase Blocked = new(2, 20, 4, 3, 1, 1, 1, 6, 6);

    [Fact]
    public void ARightImplementation_PassesEveryRoute_AndKeepsTheDefault()
    {
        var report = ConvNumericsProbe.Run(new StubConv((_, _) => false), "machine", [Small, Blocked]);
        Assert.True(report.DefaultIsCorrect);
        Assert.Equal(ConvRoute.Default, report.Chosen);
        Assert.All(report.Checks, c => Assert.InRange(c.Worst, 0, 1e-6));   // float rounding of the reference only
        Assert.Equal(6, report.Checks.Count);                                // 2 cases × 3 routes
        Assert.Contains("correct on this CPU", report.Verdict);
    }

    [Fact]
    public void WrongSumsOnTheDefaultRoute_AreFlagged_AndChannelsLastIsChosen()
    {
        var report = ConvNumericsProbe.Run(new StubConv((c, r) => r == ConvRoute.Default && c.InChannels == 20), "machine", [Small, Blocked]);
        Assert.False(report.DefaultIsCorrect);
        var failure = Assert.Single(report.Failures(ConvRoute.Default));
        Assert.Equal(Blocked, failure.Case);
        Assert.InRange(failure.Output, 0.049, 0.051);                        // the 5% the stub added, relative to the scale
        Assert.InRange(failure.InputGradient, 0, 1e-6);
        Assert.Equal(ConvRoute.ChannelsLast, report.Chosen);
        Assert.Contains("is WRONG on this CPU for 1 of 2 shapes", report.Verdict);
        Assert.Contains("20→4 channels", report.Verdict);
        Assert.Contains("forward 5.0e-02", report.Verdict);
        Assert.Contains("channels-last activations instead", report.Verdict);
    }

    [Fact]
    public void NaN_IsWrong_AndWhenOnlyOneDnnOffIsRight_ItIsTheFallback()
    {
        var report = ConvNumericsProbe.Run(new StubConv((_, r) => r != ConvRoute.WithoutOneDnn, nan: true), "machine", [Small]);
        Assert.True(double.IsNaN(report.Failures(ConvRoute.ChannelsLast).Single().Output));
        Assert.Equal(ConvRoute.WithoutOneDnn, report.Chosen);
        Assert.Contains("forward NaN", report.Verdict);
        Assert.Contains("switched oneDNN off", report.Verdict);
    }

    [Fact]
    public void WhenEveryRouteIsWrong_NoneIsChosen_AndTheVerdictSaysTrainingCannotBeTrusted()
    {
        var report = ConvNumericsProbe.Run(new StubConv((_, _) => true), "machine", [Small]);
        Assert.Null(report.Chosen);
        Assert.Contains("cannot be trusted", report.Verdict);
    }

    [Fact]
    public void AnErrorJustUnderTheTolerancePasses_AndJustOverFails()
    {
        var under = ConvNumericsProbe.Run(new StubConv((_, r) => r == ConvRoute.Default, error: 0.8e-4f), "m", [Small]);
        var over = ConvNumericsProbe.Run(new StubConv((_, r) => r == ConvRoute.Default, error: 1.2e-4f), "m", [Small]);
        Assert.True(under.DefaultIsCorrect);
        Assert.False(over.DefaultIsCorrect);
    }
}
