using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Tests.Runtime;

public class ModelBenchmarkTests
{
    // y = x·W for x [batch, 256], W [256, 256]: big enough that batch 64 visibly costs more than batch 1.
    private static Model Dense()
    {
        var w = new float[256 * 256];
        for (int i = 0; i < w.Length; i++) w[i] = (i % 7 - 3) * 0.01f;
        return ModelLoader.Load(new OnnxGraphBuilder("dense").Input("x", OnnxElementType.Float, -1, 256).Initializer("W", w, 256, 256)
            .Node("MatMul", ["x", "W"], ["y"]).Output("y", OnnxElementType.Float, -1, 256).ToBytes(), "dense");
    }

    [Fact]
    public void Variants_AreTimedInterleaved_WithBatchThreadsThroughputAndMemory()
    {
        var model = Dense();
        var result = ModelBenchmark.Run(
            [new ModelVariant("b1", model, Batch: 1, Threads: 1), new ModelVariant("b64", model, Batch: 64, Threads: 1)],
            new BenchmarkOptions(WarmupRuns: 2, Runs: 9));

        Assert.Equal(9, result.Rounds);
        var b1 = result.Variants[0];
        var b64 = result.Variants[1];
        Assert.Equal((1, 1, 64), (b1.Threads, b1.Batch, b64.Batch));
        Assert.Equal(9, b64.Timing.Latency.Samples.Count);
        Assert.Equal(b64.Batch / (b64.Timing.Latency.Median / 1000), b64.ThroughputPerSecond, 6);
        Assert.True(b64.Timing.RatioToBaseline.Median > 1, "64 rows cost more than one");
        Assert.True(b64.ThroughputPerSecond > b1.ThroughputPerSecond, "batching raises throughput");
        if (OperatingSystem.IsLinux()) Assert.NotNull(b1.PeakMemoryBytes);
        Assert.Contains("interleaved", result.Method);
    }

    [Fact]
    public void RatioMedian_IsTheMedianOfPerRoundRatios()
    {
        var model = Dense();
        var result = ModelBenchmark.Run(
            [new ModelVariant("b1", model, Batch: 1, Threads: 1), new ModelVariant("b64", model, Batch: 64, Threads: 1)],
            new BenchmarkOptions(WarmupRuns: 1, Runs: 5));

        var a = result["b64"].Timing.Latency.Samples;
        var b = result["b1"].Timing.Latency.Samples;
        double expected = a.Zip(b, (x, y) => x / y).Order().ElementAt(2); // 5 rounds: the middle one
        Assert.Equal(expected, result.RatioMedian("b64", "b1"), 12);
        Assert.Equal(result["b64"].Timing.RatioToBaseline.Median, result.RatioMedian("b64", "b1"), 12);
        Assert.Throws<KeyNotFoundException>(() => result.RatioMedian("b2", "b1"));
    }

    [Theory]
    [InlineData(0, 1, "Batch size must be at least 1")]
    [InlineData(1, 0, "Threads must be at least 1")]
    public void BadVariants_AreClearErrors(int batch, int threads, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelBenchmark.Run([new ModelVariant("v", Dense(), batch, threads)]));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AFixedBatchModel_AtAnotherBatch_IsAClearError()
    {
        var fixedBatch = ModelLoader.Load(new OnnxGraphBuilder("fixed").Input("x", OnnxElementType.Float, 1, 4)
            .Node("Relu", ["x"], ["y"]).Output("y", OnnxElementType.Float, 1, 4).ToBytes(), "fixed");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelBenchmark.Run([new ModelVariant("v", fixedBatch, Batch: 8)]));
        Assert.Contains("fixed batch of 1: use batch 1", error.Message);
    }
}
