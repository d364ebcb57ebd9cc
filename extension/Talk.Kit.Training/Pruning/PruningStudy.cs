using System.IO.Compression;
using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Training;
using Talk.Kit.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>What <c>#!prune</c> was asked to do, parsed.</summary>
public sealed record PruneRequest(double Sparsity, bool Structured, int FineTuneEpochs, int? TrainImages, int? Images, int Runs, int Batch);

/// <summary>
/// Prune a zoo network (unstructured by magnitude, or whole filters by L1 norm), fine-tune it, export it, then judge
/// the result beside the original with the kit's one evaluator and one benchmark harness (what <c>#!prune</c> shows).
/// </summary>
public static class PruningStudy
{
    /// <summary>Fewer optimizer steps than this: one-shot pruning then fine-tuning, instead of the gradual schedule.</summary>
    private const int MinAgpSteps = 100;

    public static PruneReport Run(string original, string name, ZooModel zoo, PruneRequest request, FashionMnistData data,
        IProgress<TrainingProgress> training, Action<string> status, CancellationToken ct)
    {
        using var net = Zoo.LoadNetwork(zoo);
        var test = request.Images is int n ? data.Test.Take(Math.Min(n, data.Test.Count)) : data.Test;
        long[] inputShape = [1, data.Train.Rows, data.Train.Cols];
        var fineTuning = new TrainingOptions(Epochs: request.FineTuneEpochs, BatchSize: 128, LearningRate: 5e-4, TrainImages: request.TrainImages);
        // AGP needs room: with fewer steps than its schedule, PrunedFineTuning reaches the targets only after the last
        // step, leaving no step to recover in. Short runs therefore prune once, up front, and fine-tune every step.
        int steps = request.FineTuneEpochs * (Math.Min(request.TrainImages ?? data.Train.Count, data.Train.Count) + 127) / 128;
        var options = new PruningOptions(fineTuning, AgpSteps: steps >= MinAgpSteps ? 10 : 0);

        var before = Side(original, zoo.Model, net, test, ct);
        var channels = new Dictionary<string, ChannelCount>();
        nn.Module<Tensor, Tensor> pruned;
        string method;
        if (request.Structured)
        {
            // Li et al. 2017: the same fraction of every conv's filters, smallest L1 norm first. The copy is dense and
            // smaller, so fine-tuning needs no masks: PrunedFineTuning with no targets is the kit's Trainer with its progress.
            var convs = net.named_modules().Where(m => m.module is Conv2d).Select(m => (m.name, Conv: (Conv2d)m.module)).ToList();
            if (convs.Count == 0)
                throw new NotSupportedException($"'{original}' has no convolutions, so it has no filters to remove. Try unstructured pruning: #!prune {original} --sparsity 90% --as {name}");
            var keep = convs.ToDictionary(c => c.name, c => (int)Math.Max(1, Math.Round(c.Conv.out_channels * (1 - request.Sparsity))));
            foreach (var c in convs) channels[c.name] = new ChannelCount(c.Conv.out_channels, keep[c.name]);
            pruned = ChannelPruning.Prune(net, keep); // refuses residual nets (mobilenet-v2) with the engine's message
            method = $"structured: {Format(request.Sparsity)} of each conv's filters removed by L1 norm (Li et al. 2017), their BatchNorm entries and the next layer's inputs with them";
        }
        else
        {
            // Per layer, not global: every conv and linear ends at the same sparsity, so the number asked for is the
            // number each layer gets, and no small sensitive layer (the first conv) is emptied by a global threshold.
            pruned = net;
            method = $"unstructured: {Format(request.Sparsity)} of every conv and linear layer's weights zeroed by magnitude (Han et al. 2015), " +
                     (options.AgpSteps > 0 ? "gradually (AGP, Zhu & Gupta 2017)" : "at once (too few fine-tuning steps for a gradual schedule)") +
                     ", masks re-applied after every optimizer step";
        }
        try
        {
            var targets = request.Structured ? new Dictionary<string, double>()
                : PrunableLayer.Of(pruned).ToDictionary(l => l.Name, _ => request.Sparsity);
            status("fine-tuning");
            var (masks, result) = PrunedFineTuning.Run(pruned, targets, data.Train, options, training, ct);
            using (masks)
            {
                pruned.eval();
                var bytes = OnnxExporter.Export(pruned, name, inputShape);
                var model = zoo.Model.With(bytes, new LineageStep("prune", new Dictionary<string, string>
                {
                    ["sparsity"] = Format(request.Sparsity), ["kind"] = request.Structured ? "channels" : "unstructured",
                    ["fine-tune epochs"] = request.FineTuneEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }, DateTimeOffset.UtcNow), name);
                status("evaluating on the test set");
                var after = Side(name, model, pruned, test, ct);
                var layers = PrunableLayer.Of(pruned).Select(l => (l.Name, Zeros: Zeros(l.Weight), l.Count)).ToList();
                var layerSparsity = layers.ToDictionary(l => l.Name, l => l.Zeros / (double)l.Count);
                double total = layers.Count == 0 ? 0 : layers.Sum(l => l.Zeros) / (double)layers.Sum(l => l.Count);
                status("timing dense against pruned, interleaved");
                var latency = ModelBenchmark.Run([new ModelVariant(original, zoo.Model, request.Batch), new ModelVariant(name, model, request.Batch)],
                    new BenchmarkOptions(WarmupRuns: 5, Runs: request.Runs, MinSampleMilliseconds: 5), cancellationToken: ct);
                return new PruneReport(original, name, request.Structured, request.Sparsity, method, before, after, layerSparsity, total, channels,
                    result.Epochs, latency, model);
            }
        }
        finally
        {
            if (!ReferenceEquals(pruned, net)) pruned.Dispose();
        }
    }

    private static PruneSide Side(string name, Model model, nn.Module<Tensor, Tensor> net, LabelledImages test, CancellationToken ct) =>
        new(name, ChannelPruning.ParameterCount(net), net.parameters().Sum(p => p.numel() - Zeros(p)), model.SizeBytes, Gzipped(model),
            Evaluator.Accuracy(model, test, cancellationToken: ct));

    private static long Zeros(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.numel() - t.count_nonzero().item<long>();
    }

    private static long Gzipped(Model model)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(model.Bytes.Span);
        return buffer.Length;
    }

    private static string Format(double fraction) => (fraction * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
