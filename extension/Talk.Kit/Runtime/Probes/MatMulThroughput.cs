using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime.Benchmarking;

namespace Talk.Kit.Runtime.Probes;

/// <summary>
/// Measures this CPU's square matrix-multiply throughput in ONNX Runtime, fp32 (<c>MatMul</c>) against
/// int8 (<c>MatMulInteger</c>: uint8 activations × int8 weights → int32, MLAS's u8s8 GEMM), interleaved.
/// Work per run: 2·n³ operations (one multiply and one add per MAC).
/// </summary>
public static class MatMulThroughput
{
    /// <summary>Runs the probe. Each size builds two one-node models, so the numbers are ORT kernels, not graph overhead.</summary>
    public static MatMulThroughputReport Measure(MatMulThroughputOptions? options = null,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new MatMulThroughputOptions();
        options.Validate();
        int threads = options.Threads ?? MachineInfo.Current.PhysicalCores;
        var points = new List<MatMulThroughputPoint>();
        foreach (int n in options.Sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var fp32 = new MatMulRunner(n, int8: false, threads, options.Seed);
            using var int8 = new MatMulRunner(n, int8: true, threads, options.Seed);
            double ops = 2.0 * n * n * n;
            var result = Benchmark.Run(
                [new BenchmarkVariant("fp32", fp32.Run, ops), new BenchmarkVariant("int8", int8.Run, ops)],
                new BenchmarkOptions(WarmupRuns: 2, Runs: options.Runs, TimeBudget: options.TimeBudgetPerSize, MinRuns: 3, MinSampleMilliseconds: 5),
                progress, cancellationToken);
            points.Add(new MatMulThroughputPoint(n, result["fp32"], result["int8"]));
        }
        return new MatMulThroughputReport(points, threads, Ort.Version);
    }

    /// <summary>A session for Y = A·B with B a constant, plus its pre-allocated input and output (no allocation per run).</summary>
    private sealed class MatMulRunner : IDisposable
    {
        private readonly InferenceSession session;
        private readonly OrtValue input, output;
        private readonly RunOptions runOptions = new();
        private static readonly string[] inputNames = ["A"], outputNames = ["Y"];

        public MatMulRunner(int n, bool int8, int threads, int seed)
        {
            var random = new Random(seed);
            long[] shape = [n, n];
            var builder = new OnnxGraphBuilder(int8 ? "matmul_int8" : "matmul_fp32");
            if (int8)
            {
                var b = new sbyte[n * n];
                for (int i = 0; i < b.Length; i++) b[i] = (sbyte)random.Next(-127, 128);
                builder.Input("A", OnnxElementType.UInt8, shape)
                    .Initializer("B", b, shape)
                    .Initializer("a_zero", [(byte)128])
                    .Initializer("b_zero", [(sbyte)0])
                    .Node("MatMulInteger", ["A", "B", "a_zero", "b_zero"], ["Y"])
                    .Output("Y", OnnxElementType.Int32, shape);
                var a = new byte[n * n];
                random.NextBytes(a);
                input = OrtValue.CreateTensorValueFromMemory(a, shape);
                output = OrtValue.CreateTensorValueFromMemory(new int[n * n], shape);
            }
            else
            {
                var b = new float[n * n];
                for (int i = 0; i < b.Length; i++) b[i] = (float)(random.NextDouble() * 2 - 1);
                builder.Input("A", OnnxElementType.Float, shape)
                    .Initializer("B", b, shape)
                    .Node("MatMul", ["A", "B"], ["Y"])
                    .Output("Y", OnnxElementType.Float, shape);
                var a = new float[n * n];
                for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() * 2 - 1);
                input = OrtValue.CreateTensorValueFromMemory(a, shape);
                output = OrtValue.CreateTensorValueFromMemory(new float[n * n], shape);
            }
            session = Ort.CreateSession(builder.ToBytes(), threads);
        }

        public void Run() => session.Run(runOptions, inputNames, [input], outputNames, [output]);

        public void Dispose()
        {
            session.Dispose();
            input.Dispose();
            output.Dispose();
            runOptions.Dispose();
        }
    }
}

/// <summary>Options of <see cref="MatMulThroughput"/>.</summary>
/// <param name="Sizes">Square sizes n (A, B and Y are n×n).</param>
/// <param name="Runs">Measured rounds per size.</param>
/// <param name="Threads">Intra-op threads; default physical cores.</param>
/// <param name="TimeBudgetPerSize">Cap per size, so a slow machine still answers quickly.</param>
/// <param name="Seed">Seed of the random operands.</param>
public sealed record MatMulThroughputOptions(IReadOnlyList<int>? Sizes = null, int Runs = 15, int? Threads = null,
    TimeSpan? TimeBudgetPerSize = null, int Seed = 42)
{
    public IReadOnlyList<int> Sizes { get; init; } = Sizes ?? [128, 256, 512];
    public TimeSpan? TimeBudgetPerSize { get; init; } = TimeBudgetPerSize ?? TimeSpan.FromSeconds(1.5);

    public void Validate()
    {
        if (Sizes.Count == 0 || Sizes.Any(s => s is < 1 or > 8192))
            throw new ArgumentOutOfRangeException(nameof(Sizes), "Matrix sizes must be between 1 and 8192, e.g. 128,256,512.");
        if (Runs < 1) throw new ArgumentOutOfRangeException(nameof(Runs), Runs, "Runs must be at least 1.");
        if (Threads is < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1.");
    }
}

/// <summary>One size: fp32 and int8 results of the same interleaved benchmark.</summary>
public sealed record MatMulThroughputPoint(int Size, VariantResult Fp32, VariantResult Int8)
{
    public double Fp32GigaOpsPerSecond => Fp32.GigaOpsPerSecond ?? 0;
    public double Int8GigaOpsPerSecond => Int8.GigaOpsPerSecond ?? 0;
    /// <summary>Median over rounds of fp32 time / int8 time.</summary>
    public double Int8Speedup => Int8.SpeedupOverBaseline;
}

/// <summary>fp32 vs int8 matrix-multiply throughput of this CPU, measured in ONNX Runtime.</summary>
public sealed record MatMulThroughputReport(IReadOnlyList<MatMulThroughputPoint> Points, int Threads, string OnnxRuntimeVersion)
{
    /// <summary>How it was measured, for every view to print beside the numbers.</summary>
    public string Method =>
        $"ONNX Runtime {OnnxRuntimeVersion} CPU, {Threads} intra-op thread(s); one-node models MatMul (fp32) and MatMulInteger " +
        "(uint8×int8→int32); square n×n operands, 2·n³ ops per run; variants interleaved, each sample ≥ 5 ms of back-to-back runs; medians.";
}
