namespace Talk.Kit.Runtime.Benchmarking;

/// <summary>
/// The kit's one way to time things. Variants run interleaved (A B C, B C A, C A B, …) so that the slow
/// drifts and 2× level flips of a noisy 2-core machine hit every variant alike; each round yields one
/// sample per variant and one ratio against the baseline (the first variant), and medians are reported.
/// </summary>
public static class Benchmark
{
    /// <summary>Runs the variants interleaved. Cancellation stops after the current round and returns what was measured.</summary>
    /// <param name="clock">Where time comes from (default: the system's high-resolution clock; tests pass a manual one).</param>
    public static BenchmarkResult Run(IReadOnlyList<BenchmarkVariant> variants, BenchmarkOptions? options = null,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        options ??= new BenchmarkOptions();
        options.Validate();
        if (variants.Count == 0)
            throw new ArgumentException("Nothing to measure: give at least one variant.", nameof(variants));
        if (variants.Select(v => v.Name).Distinct().Count() != variants.Count)
            throw new ArgumentException("Variant names must be unique.", nameof(variants));

        var warmupTimes = variants.Select(_ => new List<double>()).ToArray();
        for (int w = 0; w < options.WarmupRuns; w++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < variants.Count; i++) warmupTimes[i].Add(TimeOnce(clock, variants[i].RunOnce, 1));
            progress?.Report(new BenchmarkProgress("warm-up", w + 1, options.WarmupRuns));
        }
        int[] repeats = variants.Select((v, i) => RepeatsPerSample(clock, v, warmupTimes[i], options.MinSampleMilliseconds)).ToArray();

        var samples = variants.Select(_ => new List<double>(options.Runs)).ToArray();
        long measureStart = clock.GetTimestamp();
        int rounds = 0;
        bool cancelled = false;
        for (; rounds < options.Runs; rounds++)
        {
            if (cancellationToken.IsCancellationRequested && rounds > 0) { cancelled = true; break; }
            cancellationToken.ThrowIfCancellationRequested(); // nothing measured yet: nothing to return
            if (rounds >= options.MinRuns && options.TimeBudget is { } limit && clock.GetElapsedTime(measureStart) > limit) break;
            for (int k = 0; k < variants.Count; k++)
            {
                int i = (rounds + k) % variants.Count; // rotate the starting variant every round
                samples[i].Add(TimeOnce(clock, variants[i].RunOnce, repeats[i]));
            }
            progress?.Report(new BenchmarkProgress("measure", rounds + 1, options.Runs));
        }

        var baseline = samples[0];
        var results = variants.Select((v, i) => new VariantResult(
            v.Name,
            LatencyStats.From(samples[i]),
            LatencyStats.From(samples[i].Zip(baseline, (x, b) => x / b).ToArray()),
            v.OperationsPerRun)).ToList();
        return new BenchmarkResult(results, rounds, options, cancelled);
    }

    /// <summary>Mean milliseconds per run over <paramref name="repeats"/> back-to-back runs.</summary>
    private static double TimeOnce(TimeProvider clock, Action run, int repeats)
    {
        long start = clock.GetTimestamp();
        for (int r = 0; r < repeats; r++) run();
        // From raw ticks: TimeSpan (GetElapsedTime) would round to 100 ns.
        return (clock.GetTimestamp() - start) * 1000.0 / clock.TimestampFrequency / repeats;
    }

    /// <summary>Runs per sample so one sample lasts at least <paramref name="minSampleMs"/>, judged from the fastest warm-up run.</summary>
    private static int RepeatsPerSample(TimeProvider clock, BenchmarkVariant variant, List<double> warmup, double minSampleMs)
    {
        if (minSampleMs <= 0) return 1;
        double perRun = warmup.Count > 0 ? warmup.Min() : TimeOnce(clock, variant.RunOnce, 1);
        return (int)Math.Clamp(Math.Ceiling(minSampleMs / Math.Max(perRun, 1e-4)), 1, 1_000_000);
    }
}
