using static TorchSharp.torch;

namespace Talk.Kit.Training.Pruning;

/// <summary>Writes plain arrays into a live parameter (no gradient is recorded).</summary>
internal static class WeightWriter
{
    /// <summary>parameter ← values (row-major, same element count).</summary>
    public static void Write(Tensor parameter, float[] values)
    {
        if (values.Length != parameter.numel())
            throw new ArgumentException($"{values.Length} values for a parameter of {parameter.numel()} elements.", nameof(values));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        parameter.copy_(tensor(values, parameter.shape));
    }
}
