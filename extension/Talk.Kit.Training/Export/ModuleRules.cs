using Talk.Kit.Training.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Export;

/// <summary>Exports one module: adds its nodes and initializers to the graph, returns its output value.</summary>
internal delegate OnnxValue ModuleEmitter(ExportGraph graph, nn.Module module, string path, OnnxValue input);

/// <summary>
/// One supported module type (<paramref name="ModuleType"/>), what it <paramref name="Becomes"/> in ONNX, and
/// how to <paramref name="Emit"/> it. <paramref name="Container"/>: the module only arranges other modules
/// (its children get its path as prefix).
/// </summary>
internal sealed record ModuleRule(Type ModuleType, string Becomes, bool Container, ModuleEmitter Emit);

/// <summary>
/// The exporter's table of contents: every module type it can export and the ONNX operators it becomes.
/// A module is matched by its exact type, so a subclass with its own forward is refused, not misread.
/// </summary>
internal static class ModuleRules
{
    public static readonly ModuleRule[] All =
    [
        Rule<Sequential>("its children in order", ContainerRules.Sequential, container: true),
        Rule<InvertedResidual>("its block, then Add(input, block) when residual", ContainerRules.InvertedResidual, container: true),
        Rule<Linear>("Gemm (transB=1)", LinearRule.Emit),
        Rule<Conv2d>("Conv", Conv2dRule.Emit),
        Rule<BatchNorm2d>("BatchNormalization (running statistics)", BatchNorm2dRule.Emit),
        Rule<ReLU>("Relu", ActivationRules.Relu),
        Rule<ReLU6>("Clip(0, 6)", ActivationRules.Relu6),
        Rule<MaxPool2d>("MaxPool", PoolRules.MaxPool),
        Rule<AvgPool2d>("AveragePool", PoolRules.AvgPool),
        Rule<AdaptiveAvgPool2d>("GlobalAveragePool (output size 1 only)", PoolRules.AdaptiveAvgPool),
        Rule<Flatten>("Flatten (start_dim 1 only)", ShapeRules.Flatten),
        Rule<Dropout>("nothing (identity at inference)", ShapeRules.Dropout),
    ];

    /// <summary>One line for error messages: "Sequential → its children in order; Linear → Gemm (transB=1); …".</summary>
    public static string Supported => string.Join("; ", All.Select(r => $"{r.ModuleType.Name} → {r.Becomes}"));

    /// <summary>True for modules that only arrange others (their path is a prefix, not a node name).</summary>
    public static bool IsContainer(nn.Module module) => Find(module)?.Container ?? false;

    public static OnnxValue Emit(ExportGraph graph, nn.Module module, string path, OnnxValue input)
    {
        var rule = Find(module) ?? throw new NotSupportedException(
            $"Cannot export module {ModulePath.Label(path)} of type {module.GetType().FullName}: the ONNX exporter has no rule for it. Supported: {Supported}.");
        return rule.Emit(graph, module, path, input);
    }

    /// <summary>A supported module type used with settings the export cannot express.</summary>
    public static NotSupportedException Unsupported(nn.Module module, string path, string reason) =>
        new($"Cannot export module {ModulePath.Label(path)} ({module.GetType().Name}): {reason}.");

    /// <summary>Refuses an input of the wrong rank, with a hint on how to fix the network.</summary>
    public static void RequireRank(OnnxValue input, int rank, nn.Module module, string path, string hint)
    {
        if (input.Rank != rank)
            throw Unsupported(module, path, $"its input has rank {input.Rank}, the export needs rank {rank} ({hint})");
    }

    private static ModuleRule? Find(nn.Module module) => All.FirstOrDefault(r => r.ModuleType == module.GetType());

    private static ModuleRule Rule<T>(string becomes, Func<ExportGraph, T, string, OnnxValue, OnnxValue> emit, bool container = false)
        where T : nn.Module =>
        new(typeof(T), becomes, container, (graph, module, path, input) => emit(graph, (T)module, path, input));
}
