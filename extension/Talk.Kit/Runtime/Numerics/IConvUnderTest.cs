namespace Talk.Kit.Runtime.Numerics;

/// <summary>A convolution implementation the probe judges, e.g. libtorch's through TorchSharp (in Talk.Kit.Training).</summary>
public interface IConvUnderTest
{
    /// <summary>Library and version, e.g. "libtorch 2.10.0 (TorchSharp 0.107.0)".</summary>
    string Library { get; }

    /// <summary>The routes this implementation can take here (a library without a switch offers only the default).</summary>
    IReadOnlyList<ConvRoute> Routes { get; }

    /// <summary>
    /// Runs the conv of <paramref name="c"/> forward on <paramref name="input"/> and <paramref name="weight"/> (NCHW and
    /// OIHW, row-major), then backward from <paramref name="outputGradient"/>, along <paramref name="route"/>; outputs in
    /// NCHW/OIHW row-major order whatever layout the library used inside. Leaves the library as it found it.
    /// </summary>
    ConvOutputs Run(ConvCase c, ConvRoute route, float[] input, float[] weight, float[] outputGradient);
}
