using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Runtime.Roofline;

/// <summary>
/// Streaming bandwidth, two ways on the same two buffers X and Y (float32, n elements each), interleaved in one benchmark:
/// "ort-add": ONNX Runtime runs the one-node graph Y = X + 1 (an Add; an Identity would be optimized away);
/// "managed-copy": X is copied to Y with <c>Span.CopyTo</c>, one contiguous slice per thread.
/// Bytes per run = read X + write Y = 2·4·n (the STREAM convention: bytes the program asks for; a cache that must read Y's
/// lines before writing them — write-allocate — moves 3·4·n, so these rates understate the bus by up to 1.5×).
/// </summary>
internal static class MemoryBandwidthProbe
{
    public static (VariantResult Ort, VariantResult Managed, long BytesPerRun) Measure(long bufferBytes, int threads, int runs, TimeSpan? budget,
        IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        int n = checked((int)(bufferBytes / sizeof(float)));
        var x = new float[n];
        var y = new float[n];
        Array.Fill(x, 0.5f); // touch every page, so the first run does not pay for page faults
        Array.Fill(y, 0f);
        long bytesPerRun = 2L * sizeof(float) * n;

        var builder = new OnnxGraphBuilder("bandwidth_add")
            .Input("X", OnnxElementType.Float, n)
            .Initializer("one", [1f], 1)
            .Node("Add", ["X", "one"], ["Y"])
            .Output("Y", OnnxElementType.Float, n);
        using var session = Ort.CreateSession(builder.ToBytes(), threads);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [n]);   // pins x; ORT reads it in place
        using var output = OrtValue.CreateTensorValueFromMemory(y, [n]);  // pins y; ORT writes into it
        using var runOptions = new RunOptions();
        string[] inputNames = ["X"], outputNames = ["Y"];
        void OrtAdd() => session.Run(runOptions, inputNames, [input], outputNames, [output]);

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        void ManagedCopy() => Parallel.For(0, threads, parallel, t =>
        {
            long start = (long)n * t / threads, end = (long)n * (t + 1) / threads;
            x.AsSpan((int)start, (int)(end - start)).CopyTo(y.AsSpan((int)start, (int)(end - start)));
        });

        var result = Benchmark.Run(
            [new BenchmarkVariant("ort-add", OrtAdd, bytesPerRun), new BenchmarkVariant("managed-copy", ManagedCopy, bytesPerRun)],
            new BenchmarkOptions(WarmupRuns: 2, Runs: runs, TimeBudget: budget, MinRuns: 3, MinSampleMilliseconds: 5),
            progress, cancellationToken);
        return (result["ort-add"], result["managed-copy"], bytesPerRun);
    }
}
