namespace Talk.Kit.Runtime.Roofline;

/// <summary>Options of <see cref="MachineRooflineProbe"/>; the defaults are what <see cref="MachineRoofline.Get"/> caches.</summary>
/// <param name="MatMulSizes">Square MatMul sizes for the compute roofs; large ones, so the kernels run at their best (default 512, 1024).</param>
/// <param name="Runs">Measured rounds of every benchmark.</param>
/// <param name="Threads">Intra-op (and copy) threads; default physical cores.</param>
/// <param name="BandwidthBufferBytes">Size of each of the two bandwidth buffers (X and Y); default 128 MiB, ≥ 4× the last-level
/// cache of current server CPUs (an EPYC CCX has ≤ 32 MiB of L3 per CCD), so the traffic goes to DRAM.</param>
/// <param name="TimeBudget">Cap of each benchmark's measured phase.</param>
public sealed record MachineRooflineOptions(IReadOnlyList<int>? MatMulSizes = null, int Runs = 30, int? Threads = null,
    long BandwidthBufferBytes = 128L << 20, TimeSpan? TimeBudget = null)
{
    public IReadOnlyList<int> MatMulSizes { get; init; } = MatMulSizes ?? [512, 1024];
    public TimeSpan? TimeBudget { get; init; } = TimeBudget ?? TimeSpan.FromSeconds(3);

    /// <summary>Throws a readable error for nonsense values.</summary>
    public void Validate()
    {
        if (Runs < 1) throw new ArgumentOutOfRangeException(nameof(Runs), Runs, "Runs must be at least 1, e.g. 10.");
        if (Threads is < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1.");
        if (BandwidthBufferBytes is < 4096 or > 4L << 30)
            throw new ArgumentOutOfRangeException(nameof(BandwidthBufferBytes), BandwidthBufferBytes,
                "The bandwidth buffer must be between 4 KiB and 4 GiB; use ≥ 4× the last-level cache, e.g. 128 MiB.");
        if (MatMulSizes.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(MatMulSizes), "Give at least one MatMul size, e.g. 512, 1024.");
    }
}
