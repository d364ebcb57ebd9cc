using Talk.Kit.Tests.Export;
using Talk.Kit.Tests.Training.Qat;
using Talk.Kit.Training;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Pruning;

namespace Talk.Kit.Tests.Training.Pruning;

[Collection(TorchCollection.Name)]
public sealed class CentroidFineTuningTests
{
    [Fact]
    public void AfterSteps_WeightsStayOnTheCodebook_ZerosStayZero_AndCentroidsMove()
    {
        using var net = NetworkCatalog.Create("lenet-5");
        using var masks = MagnitudePruning.BySparsity(net, new Dictionary<string, double> { ["features.conv2"] = 0.8, ["classifier.fc1"] = 0.9 });
        var pruned = PrunableLayer.Of(net).ToDictionary(l => l.Name, l => l.ReadWeights());
        var bits = CentroidFineTuning.PaperBits(net, ["features.conv2", "classifier.fc1"]);
        Assert.Equal(8, bits["features.conv2"]);
        Assert.Equal(5, bits["classifier.fc1"]);

        var sharing = CentroidFineTuning.Share(net, bits);
        var initial = sharing.Layers["classifier.fc1"].Centroids.ToArray();
        var biasBefore = net.named_parameters().First(p => p.name == "classifier.fc1.bias").parameter.data<float>().ToArray();
        sharing.FineTune(net, QatData.Subset.Train, new TrainingOptions(Epochs: 1, BatchSize: 64, LearningRate: 1e-3, TrainImages: 320));

        foreach (var (name, b) in bits)
        {
            var weights = PrunableLayer.Find(PrunableLayer.Of(net), name).ReadWeights();
            Assert.True(weights.Where(w => w != 0).Distinct().Count() <= 1 << b, name);
            Assert.All(Enumerable.Range(0, weights.Length).Where(i => pruned[name][i] == 0), i => Assert.Equal(0f, weights[i]));
            Assert.Equal(sharing.Layers[name].Decode(), weights);
        }
        Assert.NotEqual(initial, sharing.Layers["classifier.fc1"].Centroids);
        Assert.NotEqual(biasBefore, net.named_parameters().First(p => p.name == "classifier.fc1.bias").parameter.data<float>().ToArray()); // biases train too
    }

    [Fact]
    public void TheCentroidGradient_IsTheSumOverTheCluster()
    {
        using var net = NetworkCatalog.Create("lenet-300-100");
        var sharing = CentroidFineTuning.Share(net, new Dictionary<string, int> { ["fc3"] = 1 }); // two clusters: negative and positive weights
        var layer = sharing.Layers["fc3"];
        var before = layer.Centroids.ToArray();
        var ones = Enumerable.Repeat(1f, 1000).ToArray();
        layer.Update(ones, learningRate: 0.01); // every gradient +1: Adam's first step moves each used centroid by −lr
        Assert.Equal(before[0] - 0.01f, layer.Centroids[0], 5);
        Assert.Equal(before[1] - 0.01f, layer.Centroids[1], 5);
    }
}
