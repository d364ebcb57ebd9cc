using System.Diagnostics;
using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Pipeline;
using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Data;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// <c>#!compress</c> for a zoo net the kit trained: the paper's way, with retraining — pruning fine-tuned with masks,
/// centroids fine-tuned after sharing (<see cref="DeepCompressionRun"/>). The recipe is the paper's for the LeNets
/// (<see cref="DeepCompressionRunOptions.For"/>), the budget planner's under a budget, or the request's. Without pruning,
/// or with zero fine-tuning epochs, it is the engine's one-shot <see cref="CompressionStudy"/>.
/// </summary>
public static class ZooCompression
{
    /// <summary>Sparsity with fine-tuning when nothing else decides it: 80%, which retrained nets usually survive (Han et al. 2015 prune 89–92% of LeNets).</summary>
    public const double DefaultFineTunedSparsity = 0.8;

    public static CompressionOutcome Run(ZooModel zoo, CompressionRequest request, FashionMnistData data,
        IProgress<DeepCompressionProgress>? progress = null, IProgress<string>? status = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zoo);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        var quality = QuantizationData.FashionMnist(data);
        if (request.FineTuneEpochs == 0 || !request.Stages.HasFlag(CompressionStages.Prune))
            return CompressionStudy.Run(zoo.Model, request, quality, status, cancellationToken);

        var paperOptions = request is { Budget: null, Sparsity: null, ConvBits: null, FcBits: null } ? DeepCompressionRunOptions.TryFor(zoo.Entry.Name) : null;
        bool paper = paperOptions is not null;
        var (recipe, plan) = paper
            ? (new CompressionRecipe(CompressionStages.All, 0, 0, 0), null) // the paper's per-layer recipe: described after the run
            : CompressionStudy.Decide(zoo.Model, request, DefaultFineTunedSparsity, retrained: true, progress: status, cancellationToken: cancellationToken);
        if (recipe.Stages == CompressionStages.None || !recipe.Stages.HasFlag(CompressionStages.Prune))
            return CompressionStudy.Run(zoo.Model, request, quality, status, cancellationToken, (recipe, plan)); // no pruning: nothing to fine-tune

        var options = paperOptions ?? Options(zoo, recipe);
        options = WithEpochs(options, request, data.Train.Count);
        var test = request.Images is int n ? data with { Test = data.Test.Take(Math.Min(n, data.Test.Count)) } : data;
        var run = DeepCompressionRun.Run(zoo, test, options, progress, cancellationToken);

        status?.Report("judging every stage");
        var judge = StageJudge.For(zoo.Model, quality, request.Images);
        // The run always shares and encodes; the outcome shows the stages asked for (a budget implies all three).
        var asked = request.Stages | CompressionStages.Prune;
        bool share = asked.HasFlag(CompressionStages.Share), file = asked.HasFlag(CompressionStages.Huffman);
        // The run measured each stage's accuracy on these same test images; the judge adds agreement with the original.
        var stages = CompressionStudy.Waterfall(asked, run.Report, judge.JudgeOriginal(run.DenseAccuracy),
            judge.Judge(run.Pruned, run.PrunedAccuracy, cancellationToken),
            share ? judge.Judge(run.Shared, run.SharedAccuracy, cancellationToken) : null,
            file ? judge.Judge(run.Decoded, run.DecodedAccuracy, cancellationToken) : null);
        string sparsities = string.Join(", ", run.Pruning.Sparsity.Select(s => $"{s.Key} {s.Value:0.#%}"));
        string bits = string.Join(", ", run.Bits.Select(b => $"{b.Key} {b.Value}"));
        var applied = paper ? CompressionRecipe.Paper(run.Pruning.TotalSparsity) : recipe; // per-layer bits: in the method text and the report
        string method = (paper ? $"the paper's recipe for {zoo.Entry.Name} (Han et al. 2016, Tables 2–3)" : plan is null ? $"{recipe}" : $"{recipe}, chosen by the budget planner") +
            $"; pruned with masks and fine-tuned {options.Pruning.Training.Epochs} epoch(s), centroids fine-tuned {options.Sharing.Epochs} epoch(s). " +
            $"Sparsity: {sparsities}. Weight bits: {bits}.";
        return new CompressionOutcome(zoo.Model, file ? run.Decoded : share ? run.Shared : run.Pruned, applied with { Stages = asked }, method, plan, stages,
            run.Report, file ? run.Compressed.ToArray() : null, request.Budget, judge.Description, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The recipe as per-layer targets: every layer the file compresses gets its sparsity (<see cref="CompressionRecipe.LayerSparsity"/>) and its kind's bits.</summary>
    private static DeepCompressionRunOptions Options(ZooModel zoo, CompressionRecipe recipe)
    {
        using var net = Zoo.LoadNetwork(zoo);
        var sparsity = recipe.LayerSparsity(zoo.Model);
        var layers = PrunableLayer.Of(net).Where(l => sparsity.ContainsKey(l.Initializer)).ToList();
        if (layers.Count == 0)
            throw new ArgumentException($"'{zoo.Entry.Name}' has no conv or fc layer large enough to compress.");
        return new DeepCompressionRunOptions(
            layers.ToDictionary(l => l.Name, l => sparsity[l.Initializer]),
            DeepCompressionRunOptions.DefaultPruning, DeepCompressionRunOptions.DefaultSharing,
            layers.ToDictionary(l => l.Name, l => l.IsConv ? recipe.ConvBits : recipe.FcBits));
    }

    /// <summary>
    /// The request's fine-tuning length: N epochs after pruning, ⌈N/2⌉ for the centroids. A run of fewer than 100 optimizer
    /// steps prunes at once instead of gradually: AGP would reach its targets only at the last step, leaving none to recover in.
    /// </summary>
    private static DeepCompressionRunOptions WithEpochs(DeepCompressionRunOptions options, CompressionRequest request, int trainCount)
    {
        var pruning = options.Pruning with { Training = options.Pruning.Training with { TrainImages = request.TrainImages ?? options.Pruning.Training.TrainImages } };
        var sharing = options.Sharing with { TrainImages = request.TrainImages ?? options.Sharing.TrainImages };
        if (request.FineTuneEpochs is int epochs)
        {
            pruning = pruning with { Training = pruning.Training with { Epochs = epochs } };
            sharing = sharing with { Epochs = Math.Max(1, (epochs + 1) / 2) };
        }
        int steps = pruning.Training.Epochs * ((Math.Min(pruning.Training.TrainImages ?? trainCount, trainCount) + pruning.Training.BatchSize - 1) / pruning.Training.BatchSize);
        if (steps < 100) pruning = pruning with { AgpSteps = 0 };
        return options with { Pruning = pruning, Sharing = sharing };
    }
}
