namespace Talk.Kit.Runtime.Benchmarking;

/// <summary>One thing to time. <paramref name="RunOnce"/> is one measured iteration (e.g. one <c>session.Run</c>).</summary>
/// <param name="Name">Shown in reports; unique within a benchmark.</param>
/// <param name="RunOnce">The work of one iteration; everything it needs should be prepared beforehand.</param>
/// <param name="OperationsPerRun">Arithmetic operations per run (2·M·N·K for a GEMM), for throughput; null if not meaningful.</param>
public sealed record BenchmarkVariant(string Name, Action RunOnce, double? OperationsPerRun = null);
