using Talk.Kit.Runtime.Numerics;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Native;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Training;

/// <summary>libtorch's convolutions judged on this machine, whatever its CPU: the kit's route must be exact.</summary>
[Collection(TorchCollection.Name)]
public sealed class ConvNumericsTests
{
    [Fact]
    public void TheWorkarounds_EqualTheFloat64Reference_OnEveryProbeCase()
    {
        // The cases include the shapes where the default route was wrong on an AVX-512 EPYC (issue 12); the two routes the
        // kit can switch to must be exact here, on whatever CPU the tests run, forward and both gradients.
        var conv = new TorchConvUnderTest();
        var routes = conv.Routes.Where(r => r != ConvRoute.Default).ToList();
        Assert.Contains(ConvRoute.WithoutOneDnn, routes);   // libtorch 2.10's switch is reachable
        var report = ConvNumericsProbe.Run(new OnlyRoutes(conv, routes), "test");
        Assert.All(report.Checks, c => Assert.True(c.IsCorrect(report.Tolerance), $"{c.Route.Describe()}: {c.Case.Label}: {c.Wrong(report.Tolerance)}"));
        Assert.True(OneDnnSwitch.Enabled == (ConvNumerics.Route != ConvRoute.WithoutOneDnn)); // the flag is as the kit left it
    }

    [Fact]
    public void TheRouteTheKitTook_IsCorrectOnEveryCase_AndTheVerdictNamesIt()
    {
        var status = ConvNumerics.Ensure();
        Assert.Null(status.Error);
        var report = Assert.IsType<ConvNumericsReport>(status.Report);
        Assert.Equal(ConvCase.Standard.Count, report.CaseCount);
        Assert.Equal(report.Chosen, status.Route);
        Assert.True(report.IsCorrect(status.Route), report.ToString());
        Assert.Contains(report.DefaultIsCorrect ? "correct on this CPU" : "WRONG on this CPU", report.Verdict);
        Assert.Contains("libtorch 2.10.0", report.Library);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(61)]
    public void ChannelsLast_KeepsTheValues_AndLibTorchSeesIt(int channels)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var x = randn(3, channels, 5, 7);
        var last = ChannelsLast.Of(x);
        Assert.True(ChannelsLast.Is(last));
        Assert.False(channels > 1 && ChannelsLast.Is(x));
        Assert.Equal(x.shape, last.shape);
        Assert.Equal(0f, (x - last).abs().max().item<float>());
        // A conv writes its output in its input's format, so the format flows through the net.
        var y = nn.functional.conv2d(last, randn(16, channels, 3, 3), padding: [1, 1]);
        Assert.True(ChannelsLast.Is(y), $"strides [{string.Join(",", y.stride())}]");
    }

    [Fact]
    public void Images_FollowTheRoute()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 1, 28, 28);
        Assert.Equal(ConvNumerics.Route == ConvRoute.ChannelsLast, ChannelsLast.Is(ConvNumerics.Images(x)) && x.stride(1) != 1);
        var flat = zeros(2, 784);
        Assert.Same(flat, ConvNumerics.Images(flat));                   // not an image batch: left alone
    }

    [Fact]
    public void TheRouteVariable_ForcesARoute_AndABadValueIsReportedNotObeyed()
    {
        var probed = new ConvNumericsStatus(null, ConvRoute.ChannelsLast, null, false, "not run");
        var forced = ConvNumerics.Forced(probed, " Without-OneDNN ");
        Assert.Equal(ConvRoute.WithoutOneDnn, forced.Route);
        Assert.Contains("TALKKIT_CONV_ROUTE=Without-OneDNN makes TorchSharp convs take oneDNN off", forced.Summary);
        var bad = ConvNumerics.Forced(probed, "fast");
        Assert.Equal(ConvRoute.ChannelsLast, bad.Route);
        Assert.Contains("'fast' is not a route (default, channels-last or without-onednn) and was ignored", bad.Summary);
        Assert.Same(probed, ConvNumerics.Forced(probed, null));
    }

    /// <summary>The libtorch conv restricted to some routes.</summary>
    private sealed class OnlyRoutes(IConvUnderTest inner, IReadOnlyList<ConvRoute> routes) : IConvUnderTest
    {
        public string Library => inner.Library;
        public IReadOnlyList<ConvRoute> Routes => routes;
        public ConvOutputs Run(ConvCase c, ConvRoute route, float[] input, float[] weight, float[] outputGradient) => inner.Run(c, route, input, weight, outputGradient);
    }
}
