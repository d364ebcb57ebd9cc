using Talk.Kit.Training.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Export;

/// <summary>Modules or settings the exporter cannot express are refused by path and type, never exported wrong.</summary>
[Collection(TorchCollection.Name)]
public class UnsupportedModuleTests
{
    private static NotSupportedException Refused(nn.Module<Tensor, Tensor> net, long[] inputShape) =>
        Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(net, "refused", inputShape));

    [Fact]
    public void Gelu_IsRefused_NamingItsPathAndType_AndListingWhatIsSupported()
    {
        using var scope = NewDisposeScope();
        var net = nn.Sequential(("features", nn.Sequential(("fc", nn.Linear(4, 4)), ("act", nn.GELU()))));
        var error = Refused(net, [4]);
        Assert.Contains("'features.act'", error.Message);
        Assert.Contains("TorchSharp.Modules.GELU", error.Message);
        Assert.Contains("Linear → Gemm", error.Message);
        Assert.Contains("ReLU6 → Clip", error.Message);
    }

    [Fact]
    public void CustomModule_IsRefused_EvenWhenItsChildrenAreSupported()
    {
        using var scope = NewDisposeScope();
        var error = Refused(nn.Sequential(("custom", new Doubling())), [4]);
        Assert.Contains("'custom'", error.Message);
        Assert.Contains(nameof(Doubling), error.Message);
    }

    [Fact]
    public void AdaptiveAvgPool_WithOutputOtherThan1_IsRefused()
    {
        using var scope = NewDisposeScope();
        var error = Refused(nn.Sequential(("pool", nn.AdaptiveAvgPool2d(2))), [3, 8, 8]);
        Assert.Contains("'pool' (AdaptiveAvgPool2d)", error.Message);
        Assert.Contains("output size [2,2]", error.Message);
    }

    [Fact]
    public void Linear_OnAFeatureMap_AsksForAFlatten()
    {
        using var scope = NewDisposeScope();
        var error = Refused(nn.Sequential(("conv", nn.Conv2d(1, 2, kernel_size: 3)), ("fc", nn.Linear(6, 3))), [1, 5, 5]);
        Assert.Contains("'fc' (Linear)", error.Message);
        Assert.Contains("put a Flatten before it", error.Message);
    }

    [Fact]
    public void BatchNorm_WithoutRunningStatistics_IsRefused()
    {
        using var scope = NewDisposeScope();
        var error = Refused(nn.Sequential(("bn", nn.BatchNorm2d(3, track_running_stats: false))), [3, 4, 4]);
        Assert.Contains("'bn' (BatchNorm2d)", error.Message);
        Assert.Contains("track_running_stats", error.Message);
    }

    [Fact]
    public void Conv_WithReflectPadding_IsRefused()
    {
        using var scope = NewDisposeScope();
        var error = Refused(nn.Sequential(("conv", nn.Conv2d(1, 2, kernel_size: 3, padding: 1, padding_mode: PaddingModes.Reflect))), [1, 5, 5]);
        Assert.Contains("padding_mode Reflect", error.Message);
    }

    [Fact]
    public void AvgPool_WithDivisorOverride_IsRefused()
    {
        using var scope = NewDisposeScope();
        var error = Refused(nn.Sequential(("pool", nn.AvgPool2d(kernel_size: 2, divisor_override: 3))), [1, 4, 4]);
        Assert.Contains("divisor_override", error.Message);
    }

    [Fact]
    public void Flatten_FromDimension0_IsRefused()
    {
        using var scope = NewDisposeScope();
        var error = Refused(nn.Sequential(("flatten", nn.Flatten(0))), [3, 4]);
        Assert.Contains("'flatten' (Flatten)", error.Message);
        Assert.Contains("start_dim 0", error.Message);
    }

    /// <summary>A custom module the exporter cannot know: y = 2·fc(x).</summary>
    private sealed class Doubling : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc = nn.Linear(4, 4);

        public Doubling() : base(nameof(Doubling)) => RegisterComponents();

        public override Tensor forward(Tensor input) => fc.forward(input) * 2;
    }
}
