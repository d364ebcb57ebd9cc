using Talk.Kit.Data;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>
/// Prune → fine-tune → prune more (Han et al. 2015, §3.3 "iterative pruning"), scheduled by AGP (Zhu &amp; Gupta 2017):
/// the masks are recomputed by magnitude at each pruning step and re-applied after every optimizer step, inside the
/// kit's one <see cref="Trainer"/> (its <c>afterStep</c> hook), with its progress and cancellation.
/// </summary>
public static class PrunedFineTuning
{
    /// <summary>
    /// Prunes the named layers of <paramref name="net"/> (in place) to their target sparsity while fine-tuning it.
    /// Each layer starts from its current fraction of zeros (so a second call prunes further); the returned masks hold
    /// the final pattern (the caller disposes them), e.g. for weight sharing next.
    /// </summary>
    public static (PruningMasks Masks, PruningResult Result) Run(nn.Module<Tensor, Tensor> net, IReadOnlyDictionary<string, double> targets,
        LabelledImages train, PruningOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new PruningOptions();
        options.Validate();
        foreach (var s in targets.Values) MagnitudeCriterion.CheckSparsity(s);

        var layers = PrunableLayer.Of(net);
        var initial = targets.Keys.ToDictionary(n => n, n => ZeroFraction(PrunableLayer.Find(layers, n).ReadWeights()));
        var events = new List<PruningEvent>();
        var masks = new PruningMasks();
        try
        {
            int images = Math.Min(options.Training.TrainImages ?? train.Count, train.Count);
            int total = options.Training.Epochs * ((images + options.Training.BatchSize - 1) / options.Training.BatchSize);
            var schedule = options.AgpSteps == 0 ? null : AgpSchedule.Spread(total, options.AgpSteps, options.AgpEnd);

            void PruneAt(int step)
            {
                var sparsity = targets.ToDictionary(t => t.Key, t => schedule is null ? t.Value : schedule.SparsityAt(step, initial[t.Key], t.Value));
                MagnitudePruning.BySparsity(net, sparsity, masks);
                events.Add(new PruningEvent(step, sparsity));
            }

            PruneAt(0); // one shot: the targets now; AGP: s_i, i.e. the zeros the layers already have
            var epochs = Trainer.Train(net, train, options.Training, progress, cancellationToken, afterStep: step =>
            {
                if (schedule is not null && step > 0 && schedule.IsPruningStep(step)) PruneAt(step);
                else masks.Apply(); // w ← w ⊙ m: Adam moved the pruned weights; put them back to zero
            });
            if (schedule is not null && events[^1].Step < schedule.EndStep) PruneAt(schedule.EndStep); // a run shorter than the schedule still ends at the targets
            return (masks, new PruningResult(masks.Sparsity(), masks.TotalSparsity(), events, epochs));
        }
        catch
        {
            masks.Dispose();
            throw;
        }
    }

    private static double ZeroFraction(float[] weights) => weights.Length == 0 ? 0 : weights.Count(w => w == 0) / (double)weights.Length;
}
