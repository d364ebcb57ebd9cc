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
/// <param name="Targets">How much of each layer to remove (structured: of each conv's filters).</param>
public sealed record PruneRequest(PruneTargets Targets, bool Structured, int FineTuneEpochs, int? TrainImages, int? Images, int Runs, int Batch);

/// <summary>
/// Prune a zoo network (unstructured by magnitude, or whole filters by L1 norm), fine-tune it, export it, then judge
/// the result beside the original with the kit's one evaluator and one benchmark harness (what <c>#!prune</c> shows).
/// </summary>
public static class PruningStudy
{
    /// <summary>Fewer optimizer steps than this: one-shot pruning then fine-tuning, instead of the gradual schedule.</summary>
    private const int MinAgpSteps = 100;

    /// <summary>Runs the study; errors (unknown layer names, nets without convs) are thrown before anything slow starts.</summary>
    public static PruneReport Run(string original, string name, ZooModel zoo, PruneRequest request, FashionMnistData data,
        IProgress<TrainingProgress> training, Action<string> status, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var net = Zoo.LoadNetwork(zoo);
        var layers = PrunableLayer.Of(net);
        CheckTargets(original, request, layers);
        var test = request.Images is int n ? data.Test.Take(Math.Min(n, data.Test.Count)) : data.Test;
        long[] inputShape = [1, data.Train.Rows, data.Train.Cols];
        var fineTuning = new TrainingOptions(Epochs: request.FineTuneEpochs, BatchSize: 128, LearningRate: 5e-4, TrainImages: request.TrainImages);
        // AGP needs room: with fewer steps than its schedule, PrunedFineTuning reaches the targets only after the last
        // step, leaving no step to recover in. Short runs therefore prune once, up front, and fine-tune every step.
        int steps = request.FineTuneEpochs * (Math.Min(request.TrainImages ?? data.Train.Count, data.Train.Count) + 127) / 128;
        var options = new PruningOptions(fineTuning, AgpSteps: steps >= MinAgpSteps ? 10 : 0);

        var before = Side(original, zoo.Model, net, test, ct);
        var (targets, sensitivity) = Targets(original, net, layers, request, data, status, ct);
        var channels = new Dictionary<string, ChannelCount>();
        nn.Module<Tensor, Tensor> pruned;
        string method;
        if (request.Structured)
        {
            // Li et al. 2017: per conv, the filters of smallest L1 norm go. The copy is dense and smaller, so fine-tuning
            // needs no masks: PrunedFineTuning with no targets is the kit's Trainer with its progress.
            var convs = net.named_modules().Where(m => m.module is Conv2d).Select(m => (m.name, Conv: (Conv2d)m.module)).ToList();
            if (convs.Count == 0)
                throw new NotSupportedException($"'{original}' has no convolutions, so it has no filters to remove. Try unstructured pruning: #!prune {original} --sparsity 90% --as {name}");
            var keep = convs.Where(c => targets.ContainsKey(c.name))
                .ToDictionary(c => c.name, c => (int)Math.Max(1, Math.Round(c.Conv.out_channels * (1 - targets[c.name]))));
            foreach (var c in convs) channels[c.name] = new ChannelCount(c.Conv.out_channels, keep.GetValueOrDefault(c.name, (int)c.Conv.out_channels));
            pruned = ChannelPruning.Prune(net, keep); // refuses residual nets (mobilenet-v2) with the engine's message
            method = request.Targets is PruneTargets.Uniform u
                ? $"structured: {Format(u.Sparsity)} of each conv's filters removed by L1 norm (Li et al. 2017), their BatchNorm entries and the next layer's inputs with them"
                : "structured: each listed conv's filters removed by L1 norm to its own fraction (Li et al. 2017), their BatchNorm entries and the next layer's inputs with them; convs not listed keep all their filters";
        }
        else
        {
            // Per layer, not global: each layer ends at its own target, so no small sensitive layer (the first conv) is
            // emptied by a threshold set by the big ones.
            pruned = net;
            string which = request.Targets switch
            {
                PruneTargets.Uniform u => $"{Format(u.Sparsity)} of every conv and linear layer's weights",
                PruneTargets.WithinAccuracyDrop d => $"each layer's weights, to the largest sparsity whose sensitivity curve (that layer alone, {d.Images.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} training images) stays within {Format(d.MaxAccuracyDrop)} of dense accuracy,",
                _ => "each listed layer's weights, to its own target (layers not listed stay dense),",
            };
            method = $"unstructured: {which} zeroed by magnitude (Han et al. 2015), " +
                     (options.AgpSteps > 0 ? "gradually (AGP, Zhu & Gupta 2017)" : "at once (too few fine-tuning steps for a gradual schedule)") +
                     ", masks re-applied after every optimizer step";
        }
        try
        {
            status("fine-tuning");
            var (masks, result) = PrunedFineTuning.Run(pruned, request.Structured ? new Dictionary<string, double>() : targets, data.Train, options, training, ct);
            using (masks)
            {
                pruned.eval();
                var bytes = OnnxExporter.Export(pruned, name, inputShape);
                var model = zoo.Model.With(bytes, new LineageStep("prune", new Dictionary<string, string>
                {
                    ["sparsity"] = request.Targets.ToString()!, ["kind"] = request.Structured ? "channels" : "unstructured",
                    ["fine-tune epochs"] = request.FineTuneEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }, DateTimeOffset.UtcNow), name);
                status("evaluating on the test set");
                var after = Side(name, model, pruned, test, ct);
                var outcome = PrunableLayer.Of(pruned)
                    .Select(l => new PrunedLayer(l.Name, targets.TryGetValue(l.Name, out double t) ? t : null, l.Count, Zeros(l.Weight))).ToList();
                double total = outcome.Count == 0 ? 0 : outcome.Sum(l => l.Zeros) / (double)outcome.Sum(l => l.Weights);
                status("timing dense against pruned, interleaved");
                var latency = ModelBenchmark.Run([new ModelVariant(original, zoo.Model, request.Batch), new ModelVariant(name, model, request.Batch)],
                    new BenchmarkOptions(WarmupRuns: 5, Runs: request.Runs, MinSampleMilliseconds: 5), cancellationToken: ct);
                return new PruneReport(original, name, request.Structured, request.Targets.ToString()!, method, before, after, outcome, total, channels,
                    result.Epochs, latency, model) { Sensitivity = sensitivity };
            }
        }
        finally
        {
            if (!ReferenceEquals(pruned, net)) pruned.Dispose();
        }
    }

    /// <summary>Names that are not layers of the net, and requests the method cannot honour, fail here in one message.</summary>
    private static void CheckTargets(string original, PruneRequest request, IReadOnlyList<PrunableLayer> layers)
    {
        var convs = layers.Where(l => l.IsConv).Select(l => l.Name).ToList();
        switch (request.Targets)
        {
            case PruneTargets.Uniform u:
                MagnitudeCriterion.CheckSparsity(u.Sparsity);
                break;
            case PruneTargets.PerLayer p:
                foreach (var s in p.Sparsity.Values) MagnitudeCriterion.CheckSparsity(s);
                var unknown = p.Sparsity.Keys.Where(k => layers.All(l => l.Name != k)).ToList();
                if (unknown.Count > 0)
                    throw new ArgumentException($"'{original}' has no layer {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Its conv and linear layers are " +
                        $"{string.Join(", ", layers.Select(l => l.Name))}. Try: #!prune {original} --sparsity {string.Join(",", layers.Take(2).Select(l => $"{l.Name}=50%"))}");
                var linear = p.Sparsity.Keys.Where(k => request.Structured && !convs.Contains(k)).ToList();
                if (linear.Count > 0)
                    throw new ArgumentException($"--structured channels removes conv filters, and {string.Join(", ", linear.Select(l => $"'{l}'"))} is not a conv. " +
                        $"List only convs ({string.Join(", ", convs)}), or drop --structured to zero weights instead.");
                break;
            case PruneTargets.WithinAccuracyDrop d:
                if (request.Structured)
                    throw new NotSupportedException("An accuracy budget reads the unstructured sensitivity curves, not filter removal. With --structured channels give --sparsity (one value, or per conv).");
                if (!(d.MaxAccuracyDrop > 0 && d.MaxAccuracyDrop < 1))
                    throw new ArgumentOutOfRangeException(nameof(request), d.MaxAccuracyDrop, "The accuracy budget is a fraction above 0 and below 1, e.g. 0.01 for one point.");
                if (d.Images < 10) throw new ArgumentOutOfRangeException(nameof(request), d.Images, "The sensitivity curves need at least 10 images, e.g. 2000.");
                break;
        }
    }

    /// <summary>Each pruned layer's target; with an accuracy budget, measured first (the returned curves).</summary>
    private static (IReadOnlyDictionary<string, double> Targets, SensitivityReport? Curves) Targets(string original, nn.Module<Tensor, Tensor> net,
        IReadOnlyList<PrunableLayer> layers, PruneRequest request, FashionMnistData data, Action<string> status, CancellationToken ct)
    {
        switch (request.Targets)
        {
            case PruneTargets.Uniform u:
                return (layers.Where(l => l.IsConv || !request.Structured).ToDictionary(l => l.Name, _ => u.Sparsity), null);
            case PruneTargets.PerLayer p:
                return (p.Sparsity, null);
            case PruneTargets.WithinAccuracyDrop d:
                // The last images of the training split: the test set judges the result, so it must not choose the targets.
                int images = Math.Min(d.Images, data.Train.Count);
                var held = data.Train.Slice(data.Train.Count - images, images);
                var curves = PruningSensitivity.Analyze(net, original, held,
                    progress: new Status<(string Layer, double Sparsity)>(p => status($"sensitivity: {p.Layer} at {Format(p.Sparsity)}")), cancellationToken: ct);
                return (curves.Layers.ToDictionary(l => l.Layer, l => l.MaxSparsityWithin(curves.DenseAccuracy, d.MaxAccuracyDrop)), curves);
            default:
                throw new NotSupportedException($"Unknown pruning targets {request.Targets.GetType().Name}.");
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

    private static string Format(double fraction) => (fraction * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>Reports on the calling thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Status<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
