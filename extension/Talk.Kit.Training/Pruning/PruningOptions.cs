namespace Talk.Kit.Training.Pruning;

/// <summary>How to prune and fine-tune.</summary>
/// <param name="Training">The fine-tuning run (Adam, as <see cref="Trainer"/>); a smaller learning rate than training from scratch.</param>
/// <param name="AgpSteps">Pruning steps of the gradual schedule (<see cref="AgpSchedule"/>); 0 = one shot: prune to the
/// targets first, then fine-tune with the masks.</param>
/// <param name="AgpEnd">Fraction of the optimizer steps after which the targets are reached; the rest recovers.</param>
public sealed record PruningOptions(TrainingOptions Training, int AgpSteps = 10, double AgpEnd = 0.7)
{
    /// <summary>Defaults for fine-tuning a trained net: 2 epochs, batch 128, Adam 5e-4, 10 AGP steps over 70% of them.</summary>
    public PruningOptions() : this(new TrainingOptions(Epochs: 2, BatchSize: 128, LearningRate: 5e-4)) { }

    /// <summary>Throws a readable error for nonsense values.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training);
        Training.Validate();
        if (AgpSteps < 0) throw new ArgumentOutOfRangeException(nameof(AgpSteps), AgpSteps, "AGP steps: 0 (one shot) or more, e.g. 10.");
        if (!(AgpEnd > 0 && AgpEnd <= 1)) throw new ArgumentOutOfRangeException(nameof(AgpEnd), AgpEnd, "AgpEnd is a fraction of the run, e.g. 0.7.");
    }
}

/// <summary>One recomputation of the masks during fine-tuning (a point of the AGP curve).</summary>
/// <param name="Step">Optimizer step (0 = before training).</param>
/// <param name="Sparsity">Target sparsity per layer at that step.</param>
public sealed record PruningEvent(int Step, IReadOnlyDictionary<string, double> Sparsity);

/// <summary>What pruning with fine-tuning did.</summary>
/// <param name="Sparsity">Final fraction of zeros per pruned layer.</param>
/// <param name="TotalSparsity">Zeros ÷ weights over the pruned layers.</param>
/// <param name="Events">When the masks were recomputed, with the targets then.</param>
/// <param name="Epochs">The fine-tuning epochs.</param>
public sealed record PruningResult(IReadOnlyDictionary<string, double> Sparsity, double TotalSparsity,
    IReadOnlyList<PruningEvent> Events, IReadOnlyList<EpochResult> Epochs);
