using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime.Benchmarking;

/// <summary>One configuration to time: a model at a batch size, thread count and optimization level.</summary>
/// <param name="Name">Shown in reports, e.g. "lenet b1 t2".</param>
/// <param name="Threads">ONNX Runtime intra-op threads (default: physical cores; more than cores only when asked).</param>
public sealed record ModelVariant(string Name, Model Model, int Batch = 1, int? Threads = null,
    GraphOptimizationLevel Level = GraphOptimizationLevel.ORT_ENABLE_ALL);

/// <summary>A variant's latency, throughput and memory.</summary>
/// <param name="Name">The variant measured.</param>
/// <param name="Timing">Latency per run (one run = one batch), ratio to the first variant, raw samples.</param>
/// <param name="Threads">Threads actually used.</param>
/// <param name="PeakMemoryBytes">Growth of the process's peak resident memory while creating the session and running it
/// (weights, ORT arena, activations); null where it cannot be read. Allocator reuse can hide memory an earlier variant freed.</param>
public sealed record ModelVariantResult(string Name, int Batch, int Threads, string Level, VariantResult Timing, long? PeakMemoryBytes)
{
    /// <summary>Images (samples) per second at the median latency.</summary>
    public double ThroughputPerSecond => Batch / (Timing.Latency.Median / 1000);
}

/// <summary>An interleaved comparison of model variants.</summary>
public sealed record ModelBenchmarkResult(IReadOnlyList<ModelVariantResult> Variants, int Rounds, BenchmarkOptions Options, bool Cancelled, string OnnxRuntimeVersion)
{
    public string Method =>
        $"ONNX Runtime {OnnxRuntimeVersion} CPU; random inputs (fixed seed); {Options.WarmupRuns} warm-up runs each, then {Rounds} rounds with the " +
        "variants interleaved (starting variant rotating); medians of per-run latency, ratios per round against the first variant; " +
        "peak memory = growth of the process's peak RSS (Linux VmHWM) while creating and running each variant once, measured before the timing.";

    /// <summary>The result of a variant by name.</summary>
    public ModelVariantResult this[string name] => Variants.FirstOrDefault(v => v.Name == name)
        ?? throw new KeyNotFoundException($"No variant named '{name}'; there are: {string.Join(", ", Variants.Select(v => v.Name))}.");

    /// <summary>
    /// Median over rounds of latency(<paramref name="variant"/>) / latency(<paramref name="reference"/>) in the same round:
    /// both ran back to back in every round, so slow phases of a noisy machine hit both and cancel in the ratio.
    /// </summary>
    public double RatioMedian(string variant, string reference)
    {
        var a = this[variant].Timing.Latency.Samples;
        var b = this[reference].Timing.Latency.Samples;
        return LatencyStats.From(a.Zip(b, (x, y) => x / y).ToArray()).Median;
    }
}

/// <summary>Times whole models with the kit's one harness (<see cref="Benchmark"/>).</summary>
public static class ModelBenchmark
{
    public static ModelBenchmarkResult Run(IReadOnlyList<ModelVariant> variants, BenchmarkOptions? options = null,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new BenchmarkOptions();
        options.Validate();
        foreach (var v in variants)
        {
            if (v.Batch < 1) throw new ArgumentOutOfRangeException(nameof(variants), v.Batch, $"Batch size must be at least 1 (variant '{v.Name}'), e.g. --batch 1,64.");
            if (v.Threads is < 1) throw new ArgumentOutOfRangeException(nameof(variants), v.Threads, $"Threads must be at least 1 (variant '{v.Name}'), e.g. --threads 2.");
        }

        // Memory first, one variant at a time (interleaving would mix their peaks).
        var memory = variants.Select(v =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return PeakMemory.GrowthDuring(() => { using var r = new Runner(v); r.Run(); });
        }).ToList();

        var runners = new List<Runner>();
        try
        {
            foreach (var v in variants) runners.Add(new Runner(v));
            var timing = Benchmark.Run(runners.Select(r => new BenchmarkVariant(r.Variant.Name, r.Run)).ToList(), options, progress, cancellationToken);
            var results = runners.Select((r, i) => new ModelVariantResult(r.Variant.Name, r.Variant.Batch, r.Threads, r.Variant.Level.ToString(),
                timing.Variants[i], memory[i])).ToList();
            return new ModelBenchmarkResult(results, timing.Rounds, options, timing.Cancelled, Ort.Version);
        }
        finally
        {
            foreach (var r in runners) r.Dispose();
        }
    }

    /// <summary>A session with its inputs made once; each run allocates outputs as an application would.</summary>
    private sealed class Runner : IDisposable
    {
        private readonly InferenceSession session;
        private readonly RunOptions runOptions = new();
        private readonly List<OrtValue> inputs = [];
        private readonly string[] inputNames, outputNames;

        public Runner(ModelVariant variant)
        {
            Variant = variant;
            Threads = variant.Threads ?? MachineInfo.Current.PhysicalCores;
            session = Ort.CreateSession(variant.Model.ToArray(), Threads, variant.Level);
            var random = new Random(42);
            foreach (var input in variant.Model.Inputs)
                inputs.Add(ProbeInputs.Create(input.ElementType, ProbeInputs.ShapeFor(variant.Model, input, variant.Batch, null), random));
            inputNames = variant.Model.Inputs.Select(i => i.Name).ToArray();
            outputNames = session.OutputMetadata.Keys.ToArray();
        }

        public ModelVariant Variant { get; }
        public int Threads { get; }

        public void Run()
        {
            using var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
        }

        public void Dispose()
        {
            session.Dispose();
            runOptions.Dispose();
            foreach (var v in inputs) v.Dispose();
        }
    }
}
