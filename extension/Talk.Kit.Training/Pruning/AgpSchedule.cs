namespace Talk.Kit.Training.Pruning;

/// <summary>
/// Automated gradual pruning (Zhu &amp; Gupta, "To prune, or not to prune", 2017, eq. 1): sparsity rises from s_i to s_f
/// over n pruning steps Δt apart, starting at step t₀, fast at first and slowly at the end while the net recovers:
/// s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³ for t ∈ {t₀, t₀+Δt, …, t₀+n·Δt}.
/// </summary>
/// <param name="StartStep">t₀, the optimizer step of the first pruning (0 = before training).</param>
/// <param name="PruningSteps">n, pruning steps after t₀.</param>
/// <param name="Frequency">Δt, optimizer steps between pruning steps.</param>
public sealed record AgpSchedule(int StartStep, int PruningSteps, int Frequency)
{
    /// <summary>The last pruning step t₀ + n·Δt: from there on the sparsity is s_f.</summary>
    public int EndStep => StartStep + PruningSteps * Frequency;

    /// <summary>Whether step <paramref name="t"/> is one where the masks are recomputed.</summary>
    public bool IsPruningStep(int t) => t >= StartStep && t <= EndStep && (t - StartStep) % Frequency == 0;

    /// <summary>How far along the cubic the schedule is at step t (held between pruning steps): 0 at t₀, 1 from the end on.</summary>
    public double Progress(int t)
    {
        if (t <= StartStep) return 0;
        if (t >= EndStep) return 1;
        int done = (t - StartStep) / Frequency * Frequency; // the last pruning step reached
        double remaining = 1 - (double)done / (PruningSteps * Frequency);
        return 1 - remaining * remaining * remaining;
    }

    /// <summary>s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(nΔt))³.</summary>
    public double SparsityAt(int t, double initial, double final) => initial + (final - initial) * Progress(t);

    /// <summary>A schedule of <paramref name="pruningSteps"/> that ends after <paramref name="endFraction"/> of <paramref name="totalSteps"/>, leaving the rest to recover.</summary>
    public static AgpSchedule Spread(int totalSteps, int pruningSteps, double endFraction = 0.7)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pruningSteps, 1);
        if (!(endFraction > 0 && endFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(endFraction), endFraction, "The schedule ends within the run: 0 < endFraction ≤ 1.");
        int frequency = Math.Max(1, (int)(totalSteps * endFraction / pruningSteps));
        return new AgpSchedule(StartStep: 0, pruningSteps, frequency);
    }

    /// <summary>Throws a readable error for nonsense values.</summary>
    public void Validate()
    {
        if (StartStep < 0) throw new ArgumentOutOfRangeException(nameof(StartStep), StartStep, "t₀ is an optimizer step, 0 or more.");
        if (PruningSteps < 1) throw new ArgumentOutOfRangeException(nameof(PruningSteps), PruningSteps, "AGP needs at least one pruning step, e.g. 10.");
        if (Frequency < 1) throw new ArgumentOutOfRangeException(nameof(Frequency), Frequency, "Δt is at least one optimizer step.");
    }
}
