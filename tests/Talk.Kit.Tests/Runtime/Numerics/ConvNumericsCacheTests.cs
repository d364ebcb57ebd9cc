using Talk.Kit.Runtime.Numerics;

namespace Talk.Kit.Tests.Runtime.Numerics;

public sealed class ConvNumericsCacheTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "talkkit-numerics-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static ConvNumericsReport Report(string machine) => new("libtorch test", machine, DateTimeOffset.UnixEpoch, 1e-4, 2,
        [
            new(ConvCase.Standard[4], ConvRoute.Default, 0.16, 1e-6, double.NaN),
            new(ConvCase.Standard[4], ConvRoute.ChannelsLast, 2e-7, 1e-6, 3e-7),
        ], ConvRoute.ChannelsLast, 1.5);

    [Fact]
    public void AReport_RoundTrips_WithItsNaN_AndItsVerdict()
    {
        var cache = new ConvNumericsCache(root);
        string key = ConvNumericsCache.KeyOf("cpu A", "libtorch test", ConvCase.Standard, 1e-4);
        var saved = Report("cpu A");
        cache.Save(key, saved);
        var loaded = cache.TryLoad(key, "cpu A");
        Assert.NotNull(loaded);
        Assert.True(double.IsNaN(loaded.Checks[0].InputGradient));
        Assert.Equal(saved.Checks[0].Case, loaded.Checks[0].Case);
        Assert.Equal(ConvRoute.ChannelsLast, loaded.Chosen);
        Assert.Equal(saved.Verdict, loaded.Verdict);
    }

    [Fact]
    public void KeysDifferByMachineLibraryAndCases_AndOtherMachinesOrDamagedFilesAreMisses()
    {
        string a = ConvNumericsCache.KeyOf("cpu A", "libtorch 2.10.0", ConvCase.Standard, 1e-4);
        Assert.NotEqual(a, ConvNumericsCache.KeyOf("cpu B", "libtorch 2.10.0", ConvCase.Standard, 1e-4));
        Assert.NotEqual(a, ConvNumericsCache.KeyOf("cpu A", "libtorch 2.11.0", ConvCase.Standard, 1e-4));
        Assert.NotEqual(a, ConvNumericsCache.KeyOf("cpu A", "libtorch 2.10.0", ConvCase.Standard.Skip(1).ToList(), 1e-4));
        var cache = new ConvNumericsCache(root);
        cache.Save(a, Report("cpu A"));
        Assert.Null(cache.TryLoad(a, "cpu B"));                     // a copied cache folder does not vouch for another machine
        File.WriteAllText(cache.PathOf(a), "{ not json");
        Assert.Null(cache.TryLoad(a, "cpu A"));
    }
}
