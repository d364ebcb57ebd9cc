using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Data;
using Talk.Kit.Training;

namespace Talk.Kit.Benchmarks;

/// <summary>
/// The quantization goal: on vgg-bn and ResNet-18, static int8 at least 2.5× faster than fp32 at batch 1 (ORT ALL,
/// threads = physical cores) with an accuracy drop of at most 1 point (ResNet-18: feature cosine ≥ 0.99); on LeNet-5
/// the automatic mode never slower than fp32. Latencies are interleaved rounds; ratios are medians of per-round ratios.
/// </summary>
internal static class QuantizationBenchmark
{
    public static Task RunAsync(BenchmarkArguments args, CancellationToken cancellationToken)
    {
        var fashion = FashionMnist.Load();
        foreach (string name in args.ModelsOr("vgg-bn", "resnet18", "lenet-5"))
        {
            var model = BenchmarkModels.Get(name);
            bool imageNet = name == "resnet18";
            var data = QuantizationData.FashionMnist(fashion, imageNet ? PretrainedResNet18.LoadPreprocess() : null);
            var request = new QuantizationRequest
            {
                AutoKeepFp32 = name == "lenet-5",
                Runs = args.Runs,
                Threads = args.Threads,
                Batches = args.BatchesOr(1, 64),
                EvaluationImages = imageNet ? 500 : 10_000,
            };
            var study = QuantizationStudy.Run(model, data, request, new StageProgress(name), cancellationToken);
            Print(name, study);
            FusionBenchmark.Save($"quantize-{name}.json", new
            {
                model = name, study.Method, study.Sizes, study.Quality, study.Kernels, study.LayerErrors,
                latency = study.Latency, decision = study.MixedPrecision is { } d ? new { d.Summary, d.Steps, d.KeepFp32 } : null,
            });
        }
        return Task.CompletedTask;
    }

    private static void Print(string name, QuantizationStudy s)
    {
        Console.WriteLine($"## {name}: {s.Method}");
        Console.WriteLine($"- size {s.Sizes.Fp32Bytes:N0} → {s.Sizes.QuantizedBytes:N0} B (×{s.Sizes.Ratio:0.00})");
        if (s.Quality.Fp32Accuracy is { } before && s.Quality.QuantizedAccuracy is { } after)
            Console.WriteLine($"- accuracy {before.Accuracy:P2} → {after.Accuracy:P2} (drop {s.Quality.AccuracyDrop * 100:0.00} points, {after.Images} test images)");
        Console.WriteLine($"- agreement with fp32: top-1 {s.Quality.Agreement.Top1Agreement:P2}, cosine mean {s.Quality.Agreement.MeanCosine:0.0000}, min {s.Quality.Agreement.MinCosine:0.0000}");
        Console.WriteLine($"- ORT runs: {s.Kernels}");
        if (s.MixedPrecision is { } d) foreach (var step in d.Steps) Console.WriteLine($"- auto: {step}");
        Console.WriteLine("| batch | fp32 median ms (p10–p90) | quantized median ms (p10–p90) | quantized / fp32 (median of rounds) | rounds | threads |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var l in s.Latency)
        {
            var (f, q) = (l.Variants[0], l.Variants[1]);
            Console.WriteLine($"| {f.Batch} | {f.Timing.Latency.Median:0.000} ({f.Timing.Latency.P10:0.000}–{f.Timing.Latency.P90:0.000}) | " +
                $"{q.Timing.Latency.Median:0.000} ({q.Timing.Latency.P10:0.000}–{q.Timing.Latency.P90:0.000}) | {l.RatioMedian(q.Name, f.Name):0.000} | {l.Rounds} | {f.Threads} |");
        }
        Console.WriteLine();
    }

    private sealed class StageProgress(string label) : IProgress<QuantizationProgress>
    {
        private string last = "";

        public void Report(QuantizationProgress value)
        {
            if (value.Stage == last) return;
            last = value.Stage;
            Console.Error.WriteLine($"  {label}: {value.Stage}");
        }
    }
}
