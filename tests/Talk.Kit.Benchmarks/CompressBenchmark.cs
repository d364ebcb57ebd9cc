using Talk.Kit.Compression.Container;
using Talk.Kit.Data;
using Talk.Kit.Training;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Benchmarks;

/// <summary>
/// Deep Compression's Table 1 (Han, Mao &amp; Dally, ICLR 2016) reproduced on full Fashion-MNIST: each LeNet pruned,
/// shared and fine-tuned with its recipe (<see cref="DeepCompressionRunOptions.For"/>), written to a .tkdc file, decoded
/// and evaluated in ONNX Runtime. Goal: LeNet-300-100 ≥ 40×, LeNet-5 ≥ 39×, accuracy drop ≤ 1 point.
/// Sizes are the real file's bytes against the dense fp32 initializers.
/// </summary>
internal static class CompressBenchmark
{
    /// <summary>The paper's Table 1 rows: dense and compressed KB, ratio, top-1 error before and after (MNIST).</summary>
    private static readonly Dictionary<string, (double DenseKb, double FileKb, double Ratio, double Error, double ErrorAfter, double Goal)> Paper = new()
    {
        ["lenet-300-100"] = (1070, 27, 40, 1.64, 1.58, 40),
        ["lenet-5"] = (1720, 44, 39, 0.80, 0.74, 39),
    };

    public static Task RunAsync(BenchmarkArguments args, CancellationToken cancellationToken)
    {
        var data = FashionMnist.Load();
        var runs = new List<DeepCompressionRunResult>();
        foreach (string name in args.ModelsOr("lenet-300-100", "lenet-5"))
        {
            if (!Paper.ContainsKey(name))
                throw new ArgumentException($"compress has recipes for lenet-300-100 and lenet-5, not '{name}'.");
            if (!Zoo.IsCached(name)) Console.Error.WriteLine($"  {name} is not cached yet: training it once (see Zoo recipes).");
            var run = DeepCompressionRun.Run(Zoo.Get(name), data, progress: new RunProgress(name), cancellationToken: cancellationToken);
            string file = FusionBenchmark.SaveBytes(name + ContainerFormat.Extension, run.Compressed.ToArray());
            runs.Add(run);
            FusionBenchmark.Save($"compress-{name}.json", new
            {
                model = name, file, run.Data, fileBytes = run.FileBytes, denseBytes = run.Report.Stages.DenseFp32, run.CompressionRatio,
                run.DenseAccuracy, run.PrunedAccuracy, run.SharedAccuracy, run.DecodedAccuracy, run.AccuracyDrop,
                sparsity = run.Pruning.Sparsity, run.Pruning.TotalSparsity, run.Bits, run.Report, run.Stages, run.Seconds,
                paper = Paper[name],
            });
        }
        Print(runs);
        return Task.CompletedTask;
    }

    private static void Print(List<DeepCompressionRunResult> runs)
    {
        Console.WriteLine("## Deep Compression, Table 1: the paper (MNIST) beside this kit (Fashion-MNIST, the .tkdc file decoded and run in ONNX Runtime)");
        Console.WriteLine("| network | paper: dense → compressed | paper ratio | paper top-1 error | kit: dense → file | kit ratio | kit accuracy dense → decoded | drop | goal | time |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            var p = Paper[r.Network];
            bool met = r.CompressionRatio >= p.Goal && r.AccuracyDrop <= 0.01;
            Console.WriteLine($"| {r.Network} | {p.DenseKb:N0} KB → {p.FileKb:N0} KB | {p.Ratio}× | {p.Error:F2}% → {p.ErrorAfter:F2}% | " +
                $"{r.Report.Stages.DenseFp32:N0} B → {r.FileBytes:N0} B | {r.CompressionRatio:F1}× | {r.DenseAccuracy:P2} → {r.DecodedAccuracy:P2} | " +
                $"{r.AccuracyDrop * 100:F2} pt | ≥ {p.Goal}×, ≤ 1 pt: {(met ? "met" : "NOT met")} | {r.Seconds:F0} s |");
        }
        foreach (var r in runs)
        {
            Console.WriteLine();
            Console.WriteLine($"### {r.Network}: kept per layer " + string.Join(", ", r.Pruning.Sparsity.Select(s => $"{s.Key} {1 - s.Value:P1}")) +
                "; weight bits " + string.Join(", ", r.Bits.Select(b => $"{b.Key} {b.Value}")));
            Console.WriteLine(r);
        }
    }

    /// <summary>Stages and a line per quarter epoch on stderr, so stdout stays the table.</summary>
    private sealed class RunProgress(string label) : IProgress<DeepCompressionProgress>
    {
        private string stage = "";
        private int quarter = -1;

        public void Report(DeepCompressionProgress value)
        {
            if (value.Training is not { } t)
            {
                if (value.Stage != stage) Console.Error.WriteLine($"  {label}: {value.Stage}");
                stage = value.Stage;
                return;
            }
            int q = (t.Epoch - 1) * 4 + t.Batch * 4 / Math.Max(1, t.Batches);
            if (q == quarter) return;
            quarter = q;
            Console.Error.WriteLine($"  {label}: {value.Stage} epoch {t.Epoch}/{t.Epochs}, {t.Batch}/{t.Batches} batches, loss {t.Loss:F3}, {t.ImagesPerSecond:N0} images/s");
        }
    }
}
