using Talk.Kit.Models;

namespace Talk.Kit.Runtime.Profiling;

/// <summary>
/// What <see cref="OrtProfileParser"/> read from one ONNX Runtime profile: the timed runs and the kernel executions.
/// All times are microseconds on the profiler's clock (ORT's <c>ts</c> counts from profiling start).
/// </summary>
/// <param name="Source">The file read (for messages).</param>
/// <param name="Runs">Every <c>model_run</c> event, in time order; <see cref="OrtRunSpan.Index"/> is its position.</param>
/// <param name="Nodes">Every kernel execution, in time order.</param>
public sealed record OrtTrace(string Source, IReadOnlyList<OrtRunSpan> Runs, IReadOnlyList<OrtNodeEvent> Nodes);

/// <summary>One <c>session.Run</c> as ORT timed it (<c>cat:"Session"</c>, <c>name:"model_run"</c>).</summary>
/// <param name="Index">0 for the first run the session profiled (warm-up runs included).</param>
/// <param name="StartMicroseconds">ORT's <c>ts</c>.</param>
/// <param name="DurationMicroseconds">ORT's <c>dur</c>: the whole run, including work outside kernels.</param>
public sealed record OrtRunSpan(int Index, double StartMicroseconds, double DurationMicroseconds)
{
    public double EndMicroseconds => StartMicroseconds + DurationMicroseconds;

    /// <summary>True when <paramref name="microseconds"/> lies in [start, end] (ORT rounds to whole µs, so both ends count).</summary>
    public bool Contains(double microseconds) => microseconds >= StartMicroseconds && microseconds <= EndMicroseconds;
}

/// <summary>One kernel execution (<c>cat:"Node"</c>, <c>name:"&lt;node&gt;_kernel_time"</c>).</summary>
/// <param name="Node">Node name in the graph ORT executed (after its optimizations, so possibly a fused node's name).</param>
/// <param name="OpType">ORT's <c>args.op_name</c> (no domain: an NCHWc conv reads "Conv"); "" when absent.</param>
/// <param name="Provider">ORT's <c>args.provider</c>, e.g. "CPUExecutionProvider"; "" when absent.</param>
/// <param name="StartMicroseconds">ORT's <c>ts</c>.</param>
/// <param name="DurationMicroseconds">ORT's <c>dur</c>.</param>
/// <param name="Run">Index of the <see cref="OrtRunSpan"/> whose span holds the start; null when none does.</param>
/// <param name="InputShapes">From <c>args.input_type_shape</c> (a weight the kernel pre-packed, e.g. Gemm's B, may be missing).</param>
/// <param name="OutputShapes">From <c>args.output_type_shape</c>.</param>
public sealed record OrtNodeEvent(string Node, string OpType, string Provider, double StartMicroseconds, double DurationMicroseconds,
    int? Run, IReadOnlyList<TensorShape> InputShapes, IReadOnlyList<TensorShape> OutputShapes);
