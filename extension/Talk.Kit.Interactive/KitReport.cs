using Talk.Kit.Runtime.Probes;
using Talk.Kit.Training;

namespace Talk.Kit.Interactive;

/// <summary>A magic command's help line.</summary>
public sealed record MagicCommandHelp(string Name, string Description, string Example);

/// <summary>The answer of <c>#!kit</c>: the engine's facts, TorchSharp's status, the commands, and a measurement made on the spot.</summary>
/// <param name="Engine">Versions, machine, ONNX Runtime providers, datasets.</param>
/// <param name="Torch">TorchSharp/libtorch versions and whether native tensor code ran.</param>
/// <param name="Commands">Every magic command the kit registered.</param>
/// <param name="Throughput">fp32 vs int8 matrix-multiply throughput measured now.</param>
public sealed record KitReport(KitInfo Engine, TorchStatus Torch, IReadOnlyList<MagicCommandHelp> Commands, MatMulThroughputReport Throughput);
