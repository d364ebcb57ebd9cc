using Microsoft.ML.OnnxRuntime;

namespace Talk.Kit.Runtime.Profiling;

/// <summary>
/// Where a model's inference time goes, per node and per operator type, as ONNX Runtime's own profiler timed it
/// (microseconds; warm-up runs excluded).
/// </summary>
/// <remarks>
/// Names are those of the graph ORT <em>executed</em>, not the model's: above ORT_DISABLE_ALL it fuses and rewrites
/// nodes (Conv+Relu becomes one NCHWc conv named after the Relu's output, e.g. <c>r_nchwc</c>; <c>ReorderInput</c>/
/// <c>ReorderOutput</c> nodes convert layouts; fusions add names with <c>_token_</c>). They are kept as ORT gives
/// them, because that is the work that ran. Profile at ORT_DISABLE_ALL to see the model's own nodes.
/// Profiling adds a little overhead per kernel: quote end-to-end latency from <c>Benchmarking.Benchmark</c>,
/// and use this report for the shares.
/// </remarks>
/// <param name="ModelName">The model profiled.</param>
/// <param name="Batch">Batch size fed.</param>
/// <param name="Threads">Intra-op threads of the session.</param>
/// <param name="Level">Graph optimization level of the session.</param>
/// <param name="Runs">Measured runs (after warm-up).</param>
/// <param name="Nodes">One row per executed node, slowest median first.</param>
/// <param name="OpTypes">One row per operator type, slowest median first.</param>
/// <param name="RunMedianMicroseconds">Median over runs of ORT's <c>model_run</c> duration: the whole <c>session.Run</c>.</param>
/// <param name="NodeSumMedianMicroseconds">Median over runs of the sum of that run's kernel times; the gap to
/// <see cref="RunMedianMicroseconds"/> is time outside kernels (input binding, allocation, scheduling).</param>
/// <param name="Timeline">The kernels of the median run (by <c>model_run</c> duration), in start order.</param>
/// <param name="TimelineRunMicroseconds">The <c>model_run</c> duration of that run.</param>
public sealed record OperatorProfile(
    string ModelName, int Batch, int Threads, GraphOptimizationLevel Level, int Runs,
    IReadOnlyList<NodeTiming> Nodes, IReadOnlyList<OpTypeTiming> OpTypes,
    double RunMedianMicroseconds, double NodeSumMedianMicroseconds,
    IReadOnlyList<TimelineEvent> Timeline, double TimelineRunMicroseconds);

/// <summary>Kernel time of one executed node over the measured runs (a node run twice in one run counts as their sum).</summary>
/// <param name="Name">Node name in the executed graph (see <see cref="OperatorProfile"/>).</param>
/// <param name="OpType">ORT's op name, without domain.</param>
/// <param name="Provider">Execution provider that ran it.</param>
/// <param name="MedianMicroseconds">Median over the runs it appeared in.</param>
/// <param name="P10Microseconds">10th percentile (linear interpolation, as <c>LatencyStats</c>).</param>
/// <param name="P90Microseconds">90th percentile.</param>
/// <param name="Share">Median / the sum of all nodes' medians (so shares add up to 1).</param>
/// <param name="Runs">Measured runs in which it appeared (fewer than all only under control flow).</param>
public sealed record NodeTiming(string Name, string OpType, string Provider, double MedianMicroseconds,
    double P10Microseconds, double P90Microseconds, double Share, int Runs);

/// <summary>Kernel time of one operator type.</summary>
/// <param name="OpType">ORT's op name, without domain.</param>
/// <param name="Nodes">Executed nodes of this type.</param>
/// <param name="MedianMicroseconds">Median over runs of the per-run sum of this type's kernel times.</param>
/// <param name="Share">Median / the sum of all types' medians (so shares add up to 1).</param>
public sealed record OpTypeTiming(string OpType, int Nodes, double MedianMicroseconds, double Share);

/// <summary>One kernel on the timeline of a run.</summary>
/// <param name="Node">Node name in the executed graph.</param>
/// <param name="OpType">ORT's op name.</param>
/// <param name="StartMicroseconds">Start relative to the run's start.</param>
/// <param name="DurationMicroseconds">Kernel time.</param>
public sealed record TimelineEvent(string Node, string OpType, double StartMicroseconds, double DurationMicroseconds);
