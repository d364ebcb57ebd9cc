using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Networks;

/// <summary>The catalogue's networks: names, exact parameter counts, shapes, deterministic initialisation.</summary>
[Collection(TorchCollection.Name)]
public class NetworkCatalogTests
{
    [Fact]
    public void Names_AreTheFourNetworks_InTeachingOrder()
    {
        Assert.Equal(["lenet-300-100", "lenet-5", "vgg-bn", "mobilenet-v2"], NetworkCatalog.Names);
        Assert.All(NetworkCatalog.Networks, n => Assert.False(string.IsNullOrWhiteSpace(n.Description)));
    }

    // Counts derived by hand in each network's remarks:
    // lenet-300-100: 784·300+300 + 300·100+100 + 100·10+10 = 266,610
    // lenet-5: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 (classic LeNet-5, not the 431,080 Caffe variant)
    // vgg-bn: stages 9,632 + 55,552 + 221,696, fc 1,290 = 288,170 (bias-free convs; BN γ, β counted, running stats not)
    // mobilenet-v2: stem 176, blocks 464 + 5,136 + 8,832 + 10,000 + 14,848, head 4,352, fc 1,290 = 45,098
    [Theory]
    [InlineData("lenet-300-100", 266_610)]
    [InlineData("lenet-5", 61_706)]
    [InlineData("vgg-bn", 288_170)]
    [InlineData("mobilenet-v2", 45_098)]
    public void Network_HasExactlyTheParameterCountDerivedByHand(string name, long expected)
    {
        using var net = NetworkCatalog.Create(name);
        Assert.Equal(expected, ExportAssert.ParameterCount(net));
        Assert.Equal(expected, NetworkCatalog.Describe(name).Parameters);
    }

    [Theory]
    [InlineData("lenet-300-100")]
    [InlineData("lenet-5")]
    [InlineData("vgg-bn")]
    [InlineData("mobilenet-v2")]
    public void Network_MapsABatchOfFashionMnistImages_To10Logits(string name)
    {
        using var scope = NewDisposeScope();
        using var net = NetworkCatalog.Create(name);
        net.eval();
        using var noGrad = no_grad();
        Assert.Equal([5L, 10], net.forward(zeros(5, 1, 28, 28)).shape);
    }

    [Fact]
    public void SameSeed_GivesTheSameWeights_AnotherSeedDifferentOnes()
    {
        using var scope = NewDisposeScope();
        using var a = NetworkCatalog.Create("lenet-5", seed: 7);
        using var b = NetworkCatalog.Create("lenet-5", seed: 7);
        using var c = NetworkCatalog.Create("lenet-5", seed: 8);
        var pa = a.parameters().ToList();
        var pb = b.parameters().ToList();
        var pc = c.parameters().ToList();
        Assert.All(pa.Zip(pb), p => Assert.Equal(p.First.data<float>().ToArray(), p.Second.data<float>().ToArray()));
        Assert.NotEqual(pa[0].data<float>().ToArray(), pc[0].data<float>().ToArray());
    }

    [Fact]
    public void Layers_HaveReadablePaths()
    {
        using var net = NetworkCatalog.Create("vgg-bn");
        var paths = net.named_modules().Select(m => m.name).ToList();
        Assert.Contains("features.conv1", paths);
        Assert.Contains("features.bn6", paths);
        Assert.Contains("classifier.fc", paths);
        using var mobile = NetworkCatalog.Create("mobilenet-v2");
        Assert.Contains("blocks.block3.block.depthwise.weight", mobile.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void UnknownName_IsAClearError_ListingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkCatalog.Create("resnet-50"));
        Assert.Contains("Unknown network 'resnet-50'", error.Message);
        foreach (var name in NetworkCatalog.Names)
            Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Names_AreMatchedWithoutRegardToCase()
    {
        Assert.Equal("lenet-5", NetworkCatalog.Describe("LeNet-5").Name);
    }
}
