using Talk.Kit.Compression.Container;

namespace Talk.Kit.Training.Pruning;

/// <summary>The recipe of a Deep Compression run.</summary>
/// <param name="Sparsity">Target fraction pruned per layer (module path → sparsity).</param>
/// <param name="Pruning">Fine-tuning with masks (and the AGP schedule).</param>
/// <param name="Sharing">Centroid fine-tuning after weight sharing.</param>
/// <param name="Bits">Weight-sharing bits per layer; null: <see cref="DeepCompressionRun.DefaultBits"/>, the paper's 8 (conv) / 5 (fc)
/// capped for small layers by <see cref="CodebookBits.Cap"/> (a layer too small for any codebook stays pruned fp32, raw in the file).</param>
public sealed record DeepCompressionRunOptions(IReadOnlyDictionary<string, double> Sparsity, PruningOptions Pruning, TrainingOptions Sharing,
    IReadOnlyDictionary<string, int>? Bits = null)
{
    /// <summary>Fine-tuning with masks: 4 epochs, Adam 1e-3, AGP over the first 60%.</summary>
    public static PruningOptions DefaultPruning { get; } = new(new TrainingOptions(Epochs: 4, BatchSize: 128, LearningRate: 1e-3), AgpSteps: 10, AgpEnd: 0.6);

    /// <summary>Centroid fine-tuning: 2 epochs, Adam 1e-4 (centroids and biases).</summary>
    public static TrainingOptions DefaultSharing { get; } = new(Epochs: 2, BatchSize: 128, LearningRate: 1e-4);

    /// <summary>
    /// Han et al. 2016, Table 2: LeNet-300-100 keeps 8% / 9% / 26% of ip1 / ip2 / ip3. Weight bits 4 for fc1 and fc2 (the
    /// classifier keeps 5): with the file storing exactly the fine-tuned codebook, 5 bits gave 28,236 B (37.8×, accuracy
    /// 88.57% → 89.29%); the paper's Fig. 6 has fc layers holding their accuracy down to 2–3 bits.
    /// </summary>
    public static DeepCompressionRunOptions LeNet300100 { get; } = new(
        new Dictionary<string, double> { ["fc1"] = 0.92, ["fc2"] = 0.91, ["fc3"] = 0.74 }, DefaultPruning, DefaultSharing,
        new Dictionary<string, int> { ["fc1"] = 4, ["fc2"] = 4, ["fc3"] = 5 });

    /// <summary>
    /// Han et al. 2016, Table 3 keeps 66% / 12% / 8% / 19% of LeNet-5's conv1 / conv2 / ip1 / ip2 (431K weights, 39×).
    /// The kit's LeNet-5 is 7× smaller (61,706 parameters), so its graph, biases, codebooks and tables are a far larger
    /// share of the file: at the paper's sparsities it compresses only 27×. The recipe therefore prunes the fc layers
    /// harder — fc1 (400→120, the paper's ip1) keeps 3.5%, fc2 (120→84) 6%, the classifier fc3 (84→10, the paper's
    /// ip2) 15%, conv2 10% — and conv1, the most sensitive, keeps the paper's 66%; 6 epochs of masked fine-tuning
    /// instead of 4 recover most of the accuracy. Measured on full Fashion-MNIST: 6,123 B, 40.3×, 89.50% → 88.65%
    /// decoded (fc1 4% / fc2 7% with 4 epochs: 39.0×, 1.6 points lost).
    /// </summary>
    public static DeepCompressionRunOptions LeNet5 { get; } = new(
        new Dictionary<string, double>
        {
            ["features.conv1"] = 0.34, ["features.conv2"] = 0.90,
            ["classifier.fc1"] = 0.965, ["classifier.fc2"] = 0.94, ["classifier.fc3"] = 0.85,
        }, DefaultPruning with { Training = DefaultPruning.Training with { Epochs = 6 } }, DefaultSharing);

    /// <summary>The paper's recipe for a zoo name: "lenet-300-100" or "lenet-5".</summary>
    public static DeepCompressionRunOptions For(string network) => TryFor(network) ??
        throw new ArgumentException($"No Deep Compression recipe for '{network}'; there are recipes for lenet-300-100 and lenet-5 (or pass your own options).", nameof(network));

    /// <summary>The paper's recipe for a zoo name, or null when the kit has none.</summary>
    public static DeepCompressionRunOptions? TryFor(string network) => network.ToLowerInvariant() switch
    {
        "lenet-300-100" => LeNet300100,
        "lenet-5" => LeNet5,
        _ => null,
    };

    /// <summary>Throws a readable error for nonsense values.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Sparsity);
        if (Sparsity.Count == 0) throw new ArgumentException("Name at least one layer to prune, e.g. { [\"fc1\"] = 0.92 }.", nameof(Sparsity));
        foreach (var s in Sparsity.Values) MagnitudeCriterion.CheckSparsity(s);
        ArgumentNullException.ThrowIfNull(Pruning);
        Pruning.Validate();
        ArgumentNullException.ThrowIfNull(Sharing);
        Sharing.Validate();
        if (Bits?.Values.FirstOrDefault(b => b is < 1 or > 16) is int bad and not 0)
            throw new ArgumentOutOfRangeException(nameof(Bits), bad, "Weight-sharing bits are 1 to 16 (the paper: 8 conv, 5 fc).");
    }
}

/// <summary>Where a run is: the stage, and the trainer's progress while it fine-tunes.</summary>
public sealed record DeepCompressionProgress(string Stage, TrainingProgress? Training);
