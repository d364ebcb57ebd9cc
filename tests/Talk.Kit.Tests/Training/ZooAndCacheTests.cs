using Talk.Kit.Data;
using Talk.Kit.Runtime;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training;

namespace Talk.Kit.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class ZooAndCacheTests : IDisposable
{
    private readonly string cacheRoot = Directory.CreateTempSubdirectory("talkkit-cache-").FullName;
    private static readonly FashionMnistData subset = FashionMnist.LoadFrom(Path.Combine(DatasetLocator.FindRepositoryRoot()!, "datasets", "fashion-mnist"));
    private static readonly TrainingOptions quick = new(Epochs: 1, BatchSize: 64, TrainImages: 256);

    [Fact]
    public void Cache_DoesNotRetrain_WhenNothingChanged()
    {
        var cache = new TrainedModelCache(cacheRoot);
        var first = Zoo.GetTrained(Zoo.Entry("lenet-300-100"), quick, subset, cache);
        var second = Zoo.GetTrained(Zoo.Entry("lenet-300-100"), quick, subset, cache);

        Assert.False(first.FromCache);
        Assert.True(first.Export!.Passed); // TorchSharp vs ONNX Runtime on real test images
        Assert.True(second.FromCache);
        Assert.Null(second.Export);
        Assert.Equal(first.Model.Fingerprint, second.Model.Fingerprint); // the very same weights
        Assert.Equal(first.CacheFolder, second.CacheFolder);
        Assert.True(File.Exists(Path.Combine(first.CacheFolder!, "weights.dat")));
        Assert.Empty(Directory.GetFiles(first.CacheFolder!, "*.tmp"));
    }

    [Fact]
    public void CachedWeights_LoadBackIntoTorchSharp_AndMatchTheOnnxModel()
    {
        var cache = new TrainedModelCache(cacheRoot);
        Zoo.GetTrained(Zoo.Entry("lenet-300-100"), quick, subset, cache);
        var cached = Zoo.GetTrained(Zoo.Entry("lenet-300-100"), quick, subset, cache); // from the cache: no TorchSharp net in memory

        using var net = Zoo.LoadNetwork(cached);
        var check = Talk.Kit.Training.Export.ExportVerifier.Verify(net, cached.Model.ToArray(), subset.Test.ToTensorData(0, 16), [16, 1, 28, 28]);
        Assert.True(check.Passed, check.ToString()); // the reloaded weights compute what the cached ONNX model computes
        Assert.Contains("was not trained here", Assert.Throws<ArgumentException>(() => Zoo.LoadNetwork(Zoo.Get("resnet18"))).Message);
    }

    [Fact]
    public void Cache_Retrains_WhenAHyperParameterChanged()
    {
        var cache = new TrainedModelCache(cacheRoot);
        var first = Zoo.GetTrained(Zoo.Entry("lenet-300-100"), quick, subset, cache);
        var changed = Zoo.GetTrained(Zoo.Entry("lenet-300-100"), quick with { LearningRate = 3e-3 }, subset, cache);

        Assert.False(changed.FromCache);
        Assert.NotEqual(first.CacheFolder, changed.CacheFolder);
        Assert.NotEqual(first.Model.Fingerprint, changed.Model.Fingerprint);
        Assert.Equal(3e-3, changed.Training!.Options.LearningRate);
    }

    [Fact]
    public void Training_LowersTheLoss_AndTheEvaluatorSeesAUsefulClassifier()
    {
        var cache = new TrainedModelCache(cacheRoot);
        var zm = Zoo.GetTrained(Zoo.Entry("lenet-300-100"), new TrainingOptions(Epochs: 3, BatchSize: 64, TrainImages: 2000), subset, cache);
        var epochs = zm.Training!.Epochs;

        Assert.Equal(3, epochs.Count);
        Assert.True(epochs[2].Loss < epochs[0].Loss, $"loss went {epochs[0].Loss} → {epochs[2].Loss}");
        var test = Evaluator.Accuracy(zm.Model, subset.Test);
        Assert.Equal(1000, test.Images);
        Assert.InRange(test.Accuracy, 0.6, 1.0); // chance is 0.1; 2,000 images × 3 epochs reach ~75%
    }

    [Theory]
    [InlineData(0, 64, 1e-3, "Epochs must be between 1 and 1000")]
    [InlineData(1, 0, 1e-3, "The batch size must be between 1 and 65536")]
    [InlineData(1, 64, -1, "The learning rate must be positive and small")]
    public void BadOptions_AreClearErrors(int epochs, int batch, double lr, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Zoo.GetTrained(Zoo.Entry("lenet-5"), new TrainingOptions(epochs, batch, lr), subset, new TrainedModelCache(cacheRoot)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void UnknownName_ListsTheZoo()
    {
        var error = Assert.Throws<ArgumentException>(() => Zoo.Entry("alexnet"));
        Assert.Contains("'alexnet' is not in the zoo. Try one of: lenet-300-100, lenet-5, vgg-bn, mobilenet-v2, resnet18", error.Message);
    }

    [Fact]
    public void ResNet18_IsTheRealPretrainedFeaturizer_AndFeedsFromFashionMnist()
    {
        Assert.True(PretrainedResNet18.IsInstalled, "run ./kit.sh setup: it restores the NuGet package with ResNet-18");
        var resnet = Zoo.Get("resnet18").Model;
        Assert.Equal(22, resnet.OpTypeCounts["Conv"]);
        Assert.Equal(22, resnet.OpTypeCounts["BatchNormalization"]);
        Assert.Equal(8, resnet.Opset);

        var inputs = ImageInputs.For(resnet, subset.Test.Balanced(1), count: 2, preprocess: PretrainedResNet18.LoadPreprocess()).ToList();
        Assert.Equal(2, inputs.Count); // fixed batch 1: one image per run
        Assert.Equal([1L, 3, 224, 224], inputs[0].Shape);
        var self = Evaluator.Agreement(resnet, resnet, inputs);
        Assert.Equal(1.0, self.Top1Agreement);
        Assert.Equal(1.0, self.MeanCosine, 6);
        using var runner = new ModelRunner(resnet);
        var (features, shape) = runner.Run(inputs[0].Data, inputs[0].Shape);
        Assert.Equal([1L, 512, 1, 1], shape);
        Assert.Contains(features, f => f > 0); // ReLU features of a real image: not all zero
    }

    public void Dispose() => Directory.Delete(cacheRoot, recursive: true);
}
