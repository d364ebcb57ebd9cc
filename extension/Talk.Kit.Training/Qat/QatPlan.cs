using Talk.Kit.Training.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// One leaf module of the network in execution order, and what fake quantization does to the value it makes.
/// </summary>
/// <param name="Path">Module path, e.g. "features.conv1" (the ONNX node's name).</param>
/// <param name="Module">The leaf module.</param>
/// <param name="Value">ONNX name of the value it outputs: its path, the graph output's name for the last node, or
/// (Dropout, which exports to nothing) its input's name.</param>
/// <param name="Observed">The value has a range observer of its own.</param>
/// <param name="Quantized">The value is fake-quantized (it is where int8 inference requantizes).</param>
/// <param name="RangeOf">The value whose observer gives this value's range (itself when observed).</param>
internal sealed record QatStep(string Path, nn.Module<Tensor, Tensor> Module, string Value, bool Observed, bool Quantized, string RangeOf);

/// <summary>
/// Where a network is fake-quantized, with the names its ONNX export gives every value (mirroring
/// <see cref="OnnxExporter"/>: a node's output is named by its module path, the last one is renamed to the output).
/// </summary>
/// <remarks>
/// Placement follows integer inference (Jacob et al. 2018, §2.4; ONNX Runtime's QDQ form):
/// <list type="bullet">
/// <item>the graph input is quantized (the first conv reads uint8);</item>
/// <item>Conv/Gemm followed by ReLU are one fused kernel: only the ReLU's output is quantized. The conv's own output is
/// still observed, so a quantizer that puts Q/DQ there finds a range;</item>
/// <item>Conv/Gemm not followed by ReLU, ReLU, and averaging pools (averages leave the grid) are quantized;</item>
/// <item>MaxPool, Flatten and Dropout keep grid values on the grid (max and reshape only move them), so their outputs
/// share their input's range, as int8 MaxPool shares its input's scale.</item>
/// </list>
/// BatchNorm must be folded first (<see cref="BatchNormFolding"/>): the graph that runs has none.
/// </remarks>
internal sealed class QatPlan
{
    private QatPlan(string input, IReadOnlyList<QatStep> steps) => (InputName, Steps) = (input, steps);

    /// <summary>Name of the graph input (observed and quantized).</summary>
    public string InputName { get; }

    /// <summary>Leaf modules in execution order.</summary>
    public IReadOnlyList<QatStep> Steps { get; }

    /// <summary>Values with an observer of their own: the input, then observed steps.</summary>
    public IEnumerable<string> ObservedValues => [InputName, .. Steps.Where(s => s.Observed).Select(s => s.Value)];

    /// <summary>Every value of the exported graph (input, node outputs, output) → the observed value giving its range.</summary>
    public IEnumerable<(string Value, string RangeOf)> Values => [(InputName, InputName), .. Steps.Select(s => (s.Value, s.RangeOf)).Distinct()];

    /// <summary>The plan of a tree of Sequentials; names as <see cref="OnnxExporter.Export"/> gives them with the same input and output names.</summary>
    public static QatPlan For(nn.Module<Tensor, Tensor> network, string inputName = "input", string outputName = "logits")
    {
        if (network is not Sequential root)
            throw new NotSupportedException($"Quantization-aware training needs a tree of Sequentials (lenet-5, vgg-bn, lenet-300-100), not {network.GetType().Name}.");
        var leaves = new List<(string Path, nn.Module<Tensor, Tensor> Module)>();
        CollectLeaves(root, "", leaves);

        var steps = new List<QatStep>();
        string value = inputName, rangeOf = inputName;
        for (int i = 0; i < leaves.Count; i++)
        {
            var (path, module) = leaves[i];
            if (module is Conv2d conv)
                RequireZeroPadding(conv, path);
            var step = module switch
            {
                Conv2d or Linear => Observed(path, module, quantized: !FeedsRelu(leaves, i)),
                ReLU or ReLU6 or AdaptiveAvgPool2d or AvgPool2d => Observed(path, module, quantized: true),
                MaxPool2d or Flatten => new QatStep(path, module, path, Observed: false, Quantized: false, RangeOf: rangeOf),
                Dropout => new QatStep(path, module, value, Observed: false, Quantized: false, RangeOf: rangeOf),
                BatchNorm2d => throw new NotSupportedException($"'{path}' is a BatchNorm2d: fold it into its conv first (BatchNormFolding.FoldedCopy), so training simulates the graph that runs."),
                _ => throw new NotSupportedException($"'{path}' ({module.GetType().Name}) has no quantization-aware training rule. Supported: Conv2d, Linear, ReLU, ReLU6, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout."),
            };
            steps.Add(step);
            (value, rangeOf) = (step.Value, step.RangeOf);
        }
        if (steps.Count == 0)
            throw new NotSupportedException("The network has no layers.");
        // The exporter renames the last value to the output name (a trailing Dropout's value is its input's).
        string Rename(string name) => name == value ? outputName : name;
        return new QatPlan(inputName, [.. steps.Select(s => s with { Value = Rename(s.Value), RangeOf = Rename(s.RangeOf) })]);
    }

    private static QatStep Observed(string path, nn.Module<Tensor, Tensor> module, bool quantized) =>
        new(path, module, path, Observed: true, quantized, RangeOf: path);

    private static void CollectLeaves(Sequential sequential, string path, List<(string, nn.Module<Tensor, Tensor>)> leaves)
    {
        foreach (var (name, child) in sequential.named_children())
        {
            string childPath = ModulePath.Join(path, name);
            if (child is Sequential inner) CollectLeaves(inner, childPath, leaves);
            else leaves.Add((childPath, (nn.Module<Tensor, Tensor>)child));
        }
    }

    /// <summary>True when the next layer that exports to a node (Dropout does not) is a ReLU or ReLU6: the pair runs as one fused kernel.</summary>
    private static bool FeedsRelu(List<(string Path, nn.Module<Tensor, Tensor> Module)> leaves, int i) =>
        leaves.Skip(i + 1).FirstOrDefault(l => l.Module is not Dropout).Module is ReLU or ReLU6;

    private static void RequireZeroPadding(Conv2d conv, string path)
    {
        if (conv.padding_type == TorchSharp.Padding.Same || conv.padding_mode != TorchSharp.PaddingModes.Zeros)
            throw new NotSupportedException($"'{path}': quantization-aware training supports convs with explicit zero padding only.");
    }
}
