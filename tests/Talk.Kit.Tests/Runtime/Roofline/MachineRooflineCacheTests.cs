using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Roofline;

namespace Talk.Kit.Tests.Runtime.Roofline;

public sealed class MachineRooflineCacheTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"talkkit-roofline-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void SavedRoofline_LoadsBackEqualInEveryNumber()
    {
        var cache = new MachineRooflineCache(root);
        var saved = Roofs.Synthetic();
        string path = cache.Save(saved);

        var loaded = cache.TryLoad(saved.CacheKey);

        Assert.NotNull(loaded);
        Assert.Equal(Path.Combine(root, "roofline", "machine-0123456789abcdef.json"), path);
        Assert.Equal(saved with { SimdFeatures = loaded.SimdFeatures }, loaded); // lists compare by reference: checked next
        Assert.Equal(saved.SimdFeatures, loaded.SimdFeatures);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp")); // atomic write left no temp file
    }

    [Fact]
    public void MissingOrDamagedFile_IsAMiss()
    {
        var cache = new MachineRooflineCache(root);
        Assert.Null(cache.TryLoad("ffffffffffffffff"));
        Directory.CreateDirectory(Path.Combine(root, "roofline"));
        File.WriteAllText(cache.PathOf("ffffffffffffffff"), "{ not json");
        Assert.Null(cache.TryLoad("ffffffffffffffff"));
    }

    [Fact]
    public void Key_ChangesWithWhatTheNumbersDependOn()
    {
        var a = new MachineInfo("CPU", 2, 2, 2000, ["AVX2"], 1L << 30, "Linux", "X64");
        string key = MachineRooflineCache.KeyOf(a, "1.31.1");
        Assert.Equal(16, key.Length);
        Assert.Equal(key, MachineRooflineCache.KeyOf(a with { ClockMHz = 2100, MemoryBytes = 2L << 30 }, "1.31.1")); // clock drifts: same machine
        Assert.NotEqual(key, MachineRooflineCache.KeyOf(a with { PhysicalCores = 4 }, "1.31.1"));
        Assert.NotEqual(key, MachineRooflineCache.KeyOf(a with { SimdFeatures = ["AVX2", "AVX-512F"] }, "1.31.1"));
        Assert.NotEqual(key, MachineRooflineCache.KeyOf(a, "1.32.0"));
    }
}

/// <summary>Tests that change TALKKIT_CACHE, a process-wide variable: run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CacheEnvironmentCollection
{
    public const string Name = "TALKKIT_CACHE environment";
}

[Collection(CacheEnvironmentCollection.Name)]
public sealed class MachineRooflineGetTests
{
    [Fact]
    public void Get_ReturnsTheRooflineCachedUnderTalkKitCache_WithoutMeasuring()
    {
        string root = Path.Combine(Path.GetTempPath(), $"talkkit-roofline-{Guid.NewGuid():N}");
        string? previous = Environment.GetEnvironmentVariable("TALKKIT_CACHE");
        Environment.SetEnvironmentVariable("TALKKIT_CACHE", root);
        try
        {
            // A synthetic roofline under this machine's key: Get must answer it (its 100 GFLOP/s are not what a measurement gives).
            var planted = Roofs.Synthetic(MachineRooflineCache.KeyOf(MachineInfo.Current, Ort.Version));
            new MachineRooflineCache(root).Save(planted);

            var got = MachineRoofline.Get();

            Assert.Equal(planted.CacheKey, got.CacheKey);
            Assert.Equal(planted.Fp32Gflops, got.Fp32Gflops);
            Assert.Equal(planted.MeasuredAtUtc, got.MeasuredAtUtc);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TALKKIT_CACHE", previous);
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
