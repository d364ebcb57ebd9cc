using TorchSharp;
using TorchSharp.Modules;

namespace Talk.Kit.Training.Export;

/// <summary>Conv2d → Conv.</summary>
/// <remarks>
/// Both use the weight layout [out, in/groups, kH, kW] (groups = in = out is a depthwise conv), so weights go
/// in unchanged. Output size per spatial axis: ⌊(size + pad_begin + pad_end − d·(k−1) − 1)/stride⌋ + 1.
/// ONNX pads are [top, left, bottom, right]; TorchSharp's symmetric padding [pH, pW] becomes [pH, pW, pH, pW].
/// </remarks>
internal static class Conv2dRule
{
    public static OnnxValue Emit(ExportGraph graph, Conv2d conv, string path, OnnxValue input)
    {
        ModuleRules.RequireRank(input, 4, conv, path, "Conv2d needs [N,C,H,W]");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw ModuleRules.Unsupported(conv, path, $"padding_mode {conv.padding_mode} is not supported, only Zeros (ONNX Conv pads with zeros)");

        var inputs = new List<string> { input.Name, graph.Initializer($"{path}.weight", conv.weight) };
        if (conv.bias is { } bias)
            inputs.Add(graph.Initializer($"{path}.bias", bias));
        var attributes = new Dictionary<string, object>
        {
            ["kernel_shape"] = conv.kernel_size,
            ["strides"] = conv.stride,
            ["pads"] = Pads(conv),
            ["dilations"] = conv.dilation,
            ["group"] = conv.groups,
        };
        return new OnnxValue(graph.Node("Conv", path, inputs, attributes), 4);
    }

    private static long[] Pads(Conv2d conv)
    {
        if (conv.padding_type == Padding.Same)
        {
            // 'same' (stride 1 only): total padding d·(k−1) per axis; PyTorch puts the odd pixel at the end.
            long[] total = [.. conv.kernel_size.Zip(conv.dilation, (k, d) => d * (k - 1))];
            return [total[0] / 2, total[1] / 2, total[0] - total[0] / 2, total[1] - total[1] / 2];
        }
        long[] p = conv.padding ?? [0, 0]; // Padding.Valid leaves it null: no padding
        return [p[0], p[1], p[0], p[1]];
    }
}
