using Talk.Kit;
using Talk.Kit.Benchmarks;
using Talk.Kit.Runtime;

// The kit's benchmarks. Each writes a text table to stdout and its measurements as JSON to artifacts/benchmarks/.
// Usage: dotnet run -c Release --project tests/Talk.Kit.Benchmarks -- <benchmark> [options]
Privacy.OptOutInThisProcess(); // before the first ONNX Runtime call
var benchmarks = new Dictionary<string, Func<BenchmarkArguments, CancellationToken, Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["fusion"] = FusionBenchmark.RunAsync,
    ["quantize"] = QuantizationBenchmark.RunAsync,
    ["prune-latency"] = PruningLatencyBenchmark.RunAsync,
    ["compress"] = CompressBenchmark.RunAsync,
};
if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: Talk.Kit.Benchmarks <{string.Join("|", benchmarks.Keys)}> [--models a,b] [--runs N] [--batch N] [--threads N]");
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); Console.Error.WriteLine("cancelling after the current round…"); };
try
{
    await run(BenchmarkArguments.Parse(args.Skip(1).ToArray()), cancel.Token);
    return 0;
}
catch (Exception e) when (e is ArgumentException or OperationCanceledException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
