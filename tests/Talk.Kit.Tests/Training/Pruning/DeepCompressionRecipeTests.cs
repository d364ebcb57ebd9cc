using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Tests.Training.Pruning;

[Collection(TorchCollection.Name)]
public sealed class DeepCompressionRecipeTests
{
    [Fact]
    public void DefaultBits_OfTheLeNet5Recipe_CapTheSmallLayersCodebooks_AndKeepThePapersBitsForTheBigOnes()
    {
        using var net = NetworkCatalog.Create("lenet-5");

        var bits = DeepCompressionRun.DefaultBits(net, DeepCompressionRunOptions.LeNet5.Sparsity);

        // Kept weights: conv1 150 − 51 = 99, conv2 240, fc1 1,680, fc2 605, fc3 126 (CodebookBits: 32·2^b ≤ b·n).
        Assert.Equal(new Dictionary<string, int>
        {
            ["features.conv1"] = 3, ["features.conv2"] = 5, ["classifier.fc1"] = 5, ["classifier.fc2"] = 5, ["classifier.fc3"] = 3,
        }, bits);
    }

    [Fact]
    public void DefaultBits_LeaveOutALayerTooSmallForAnyCodebook()
    {
        using var net = NetworkCatalog.Create("lenet-5");

        var bits = DeepCompressionRun.DefaultBits(net, new Dictionary<string, double> { ["features.conv1"] = 0.7, ["classifier.fc1"] = 0.9 });

        Assert.Equal(new Dictionary<string, int> { ["classifier.fc1"] = 5 }, bits); // conv1 keeps 45 < 64 weights: stays fp32
    }
}
