using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Benchmarks;

/// <summary>
/// Structured against unstructured pruning on vgg-bn: half the filters of every conv removed (a smaller dense net)
/// against the same number of zeros scattered in the dense weights (dense kernels do every multiply anyway).
/// </summary>
internal static class PruningLatencyBenchmark
{
    public static Task RunAsync(BenchmarkArguments args, CancellationToken cancellationToken)
    {
        using var net = NetworkCatalog.Create("vgg-bn");
        var keep = Enumerable.Range(1, 6).ToDictionary(i => $"features.conv{i}", i => new[] { 16, 16, 32, 32, 64, 64 }[i - 1]);
        foreach (int batch in args.BatchesOr(1, 64))
        {
            var report = PruningLatency.Compare(net, "vgg-bn", keep, [1, 28, 28], batch,
                new BenchmarkOptions(WarmupRuns: 5, Runs: args.Runs, MinSampleMilliseconds: 5), cancellationToken);
            Console.WriteLine($"## vgg-bn, batch {batch}, half the filters of every conv");
            Console.WriteLine(report);
            Console.WriteLine();
        }
        return Task.CompletedTask;
    }
}
