using Microsoft.ML.OnnxRuntime;

namespace Talk.Kit.Runtime;

/// <summary>
/// The kit's single door to ONNX Runtime: one process-wide environment with telemetry off,
/// and session options with an explicit intra-op thread count (never more threads than cores unless asked:
/// oversubscription halves speed on these 2-core machines).
/// </summary>
public static class Ort
{
    private static readonly Lazy<OrtEnv> environment = new(CreateEnvironment);

    /// <summary>The process-wide ONNX Runtime environment (created on first use, never disposed by the kit).</summary>
    public static OrtEnv Environment => environment.Value;

    /// <summary>ONNX Runtime's native version, e.g. "1.31.1".</summary>
    public static string Version => Environment.GetVersionString();

    /// <summary>Execution providers compiled into the loaded native library (this package: CPU only).</summary>
    public static IReadOnlyList<string> AvailableProviders => Environment.GetAvailableProviders();

    /// <summary>
    /// Options for a CPU session. The caller owns (and disposes) the result.
    /// </summary>
    /// <param name="threads">Intra-op threads; default: physical cores of this machine.</param>
    /// <param name="level">Graph optimization level; ALL is where int8 kernels pay off.</param>
    public static SessionOptions CreateSessionOptions(int? threads = null, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        _ = Environment; // telemetry off before any session exists
        int n = threads ?? MachineInfo.Current.PhysicalCores;
        if (n <= 0)
            throw new ArgumentOutOfRangeException(nameof(threads), n, "Thread count must be at least 1, e.g. --threads 2.");
        return new SessionOptions
        {
            IntraOpNumThreads = n,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = level,
        };
    }

    /// <summary>Creates a session from ONNX bytes. The caller owns (and disposes) the session.</summary>
    public static InferenceSession CreateSession(byte[] onnx, int? threads = null, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        using var options = CreateSessionOptions(threads, level);
        return new InferenceSession(onnx, options);
    }

    private static OrtEnv CreateEnvironment()
    {
        Privacy.OptOutInThisProcess();
        var env = OrtEnv.Instance();
        env.DisableTelemetryEvents();
        return env;
    }
}
