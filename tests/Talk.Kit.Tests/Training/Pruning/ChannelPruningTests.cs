using Talk.Kit.Models;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Export;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Pruning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Training.Pruning;

[Collection(TorchCollection.Name)]
public sealed class ChannelPruningTests
{
    private static Conv2d Conv(nn.Module net, string path) => (Conv2d)net.named_modules().First(m => m.name == path).module;

    private static void ZeroFilters(Conv2d conv, params long[] channels)
    {
        using var noGrad = no_grad();
        foreach (long c in channels)
        {
            conv.weight![c].zero_();
            conv.bias?[c].zero_();
        }
    }

    private static double MaxDifference(nn.Module<Tensor, Tensor> a, nn.Module<Tensor, Tensor> b) => OrtAgreement.MaxDiffOverScale(a, b, [1, 28, 28]);

    [Fact]
    public void RemovingZeroedFilters_LeavesOutputsUnchanged_AndShrinksConvAndTheLinearAfterFlatten()
    {
        using var net = NetworkCatalog.Create("lenet-5");
        ZeroFilters(Conv(net, "features.conv1"), 1, 4);
        ZeroFilters(Conv(net, "features.conv2"), 0, 5, 6, 15);

        using var slim = ChannelPruning.Prune(net, new Dictionary<string, int> { ["features.conv1"] = 4, ["features.conv2"] = 12 });

        Assert.InRange(MaxDifference(net, slim), 0, 1e-6);                             // full vs slim, both run by ONNX Runtime
        Assert.Equal([4L, 1, 5, 5], Conv(slim, "features.conv1").weight!.shape);
        Assert.Equal([12L, 4, 5, 5], Conv(slim, "features.conv2").weight!.shape);      // both cuts: its outputs and its inputs
        var fc1 = (Linear)slim.named_modules().First(m => m.name == "classifier.fc1").module;
        Assert.Equal([120L, 12 * 5 * 5], fc1.weight!.shape);                            // flatten of [12,5,5]
        // 61,706 − conv1 (2·26) − conv2 (4·(150+1) + 12·2·25) − fc1 (4·25·120) = 48,450
        Assert.Equal(48_450, ChannelPruning.ParameterCount(slim));
        Assert.Equal(61_706, ChannelPruning.ParameterCount(net));                       // the input is not changed
    }

    [Fact]
    public void Prune_KeepsTheFiltersOfLargestL1Norm()
    {
        using var net = NetworkCatalog.Create("lenet-5");
        var conv1 = Conv(net, "features.conv1");
        using (no_grad()) conv1.weight![3].mul_(0.01);
        var norms = ChannelPruning.FilterNorms(conv1);
        Assert.Equal(3, Array.IndexOf(norms, norms.Min()));
        using var slim = ChannelPruning.Prune(net, new Dictionary<string, int> { ["features.conv1"] = 5 });
        using var expected = ChannelPruning.RemoveChannels(net, new Dictionary<string, long[]> { ["features.conv1"] = [0, 1, 2, 4, 5] });
        Assert.Equal(0, MaxDifference(slim, expected));
    }

    [Fact]
    public void WithBatchNorm_ItsEntriesGoToo_AndTheSmallerModelExportsSmaller()
    {
        using var net = NetworkCatalog.Create("vgg-bn");
        net.eval();
        var conv = Conv(net, "features.conv3");
        var bn = (BatchNorm2d)net.named_modules().First(m => m.name == "features.bn3").module;
        using (no_grad())
        {
            foreach (long c in new long[] { 2, 7, 9 })
            {
                conv.weight![c].zero_();
                bn.bias![c].zero_();          // BN(0) = β − γ·μ/√(σ²+ε): zero only with β = 0 and μ = 0
                bn.running_mean![c].zero_();
            }
        }
        var keep = Enumerable.Range(0, 64).Where(c => c is not (2 or 7 or 9)).Select(c => (long)c).ToArray();
        using var slim = ChannelPruning.RemoveChannels(net, new Dictionary<string, long[]> { ["features.conv3"] = keep });

        // conv4 now has 61 input channels: where libtorch's default conv is wrong for such counts (issue 12) the exporter's
        // TorchSharp-vs-ONNX-Runtime check inside MaxDifference fails unless the kit took its workaround.
        Assert.InRange(MaxDifference(net, slim), 0, 1e-6);
        var slimBn = (BatchNorm2d)slim.named_modules().First(m => m.name == "features.bn3").module;
        Assert.Equal(61, slimBn.running_var!.shape[0]);
        Assert.Equal([64L, 61, 3, 3], Conv(slim, "features.conv4").weight!.shape);
        var dense = Model.FromBytes(OnnxExporter.Export(net, "vgg", [1, 28, 28]), "vgg");   // the exporter checks each against TorchSharp in ORT
        var small = Model.FromBytes(OnnxExporter.Export(slim, "vgg-slim", [1, 28, 28]), "vgg-slim");
        // conv3 loses 3 filters [32,3,3], conv4 3 input channels of its 64 filters, bn3 3 × (γ, β, μ, σ²); fp32
        Assert.Equal((3 * 32 * 9 + 64 * 3 * 9 + 3 * 4) * 4L, dense.InitializerBytes - small.InitializerBytes);
    }

    [Fact]
    public void ResidualBlocks_AreRefusedWithAReason()
    {
        using var net = NetworkCatalog.Create("mobilenet-v2");
        var first = net.named_modules().First(m => m.module is Conv2d).name;
        var error = Assert.Throws<NotSupportedException>(() => ChannelPruning.Prune(net, new Dictionary<string, int> { [first] = 4 }));
        Assert.Contains("own forward", error.Message);
    }

    [Fact]
    public void TheLastLayersChannels_CannotGo()
    {
        using var net = nn.Sequential(("conv", nn.Conv2d(1, 4, 3)), ("relu", nn.ReLU()));
        Assert.Throws<NotSupportedException>(() => ChannelPruning.Prune(net, new Dictionary<string, int> { ["conv"] = 2 }));
    }
}
