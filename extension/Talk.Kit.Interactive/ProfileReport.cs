using Talk.Kit.Runtime.Benchmarking;
using Talk.Kit.Runtime.Profiling;
using Talk.Kit.Runtime.Roofline;

namespace Talk.Kit.Interactive;

/// <summary>
/// <c>#!profile</c>: latency distributions of every (model, batch) variant measured interleaved, where the time goes per
/// operator as ONNX Runtime runs the model, and each node of the model under this machine's measured roofline.
/// </summary>
/// <param name="Latency">Interleaved end-to-end timing of every variant (the first is the baseline of the ratios).</param>
/// <param name="Operators">Per-node and per-op-type times of the first model at the first batch, at the chosen optimization level.</param>
/// <param name="Roofline">The first model's nodes under the roofs, timed without graph optimizations so every node keeps its name.</param>
public sealed record ProfileReport(ModelBenchmarkResult Latency, OperatorProfile Operators, RooflineAnalysis Roofline);
