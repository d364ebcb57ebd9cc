using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Export;
using Talk.Kit.Training.Networks;
using Talk.Kit.Training.Qat;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Training.Qat;

/// <summary>The ranges are keyed by the names the static quantizer reads: values of the exported (BN-folded) graph.</summary>
[Collection(TorchCollection.Name)]
public sealed class QatRangeNamesTests
{
    private static readonly LabelledImages images = QatData.Subset.Train.Take(64);

    [Theory]
    [InlineData("lenet-5")]
    [InlineData("vgg-bn")]
    [InlineData("lenet-300-100")]
    public void EveryValueTheQuantizerReads_HasARange_AndEveryRangeNamesAGraphValue(string name)
    {
        using var trained = name == "vgg-bn" ? QatNets.VggBnWithStatistics() : NetworkCatalog.Create(name, seed: 1);
        using var qat = QuantizationAwareTraining.Prepare(trained, new QatOptions(WeightBits: 4));
        qat.Calibrate(images, count: 64, batchSize: 32);
        var model = Model.FromBytes(OnnxExporter.Export(qat.Network, name, [1, 28, 28]), name);
        var ranges = qat.ToActivationRanges("test");

        Assert.False(model.OpTypeCounts.ContainsKey("BatchNormalization")); // folded before QAT: the graph that runs
        var nodes = model.Nodes();
        var graphValues = nodes.SelectMany(n => n.Outputs).Append("input").ToHashSet();
        Assert.All(ranges.Ranges.Keys, key => Assert.Contains(key, graphValues));
        var read = nodes.Where(n => n.OpType is "Conv" or "Gemm").Select(n => n.Inputs[0])                        // activations into each Conv/Gemm
            .Concat(nodes.Where(n => n.OpType is "Relu" or "Conv" or "Gemm" or "MaxPool" or "GlobalAveragePool").Select(n => n.Outputs[0]));
        Assert.All(read, value => Assert.True(ranges.TryGet(value, out var r) && r.Min <= r.Max, $"no range for '{value}'"));
        Assert.Equal(64, ranges.Samples);
        Assert.True(ranges["logits"].Max > ranges["logits"].Min);
    }

    [Fact]
    public void LeNet5_QuantizesTheInput_ReluOutputsAndLogits_WithConvAndReluFused()
    {
        using var trained = NetworkCatalog.Create("lenet-5", seed: 1);
        using var qat = QuantizationAwareTraining.Prepare(trained, new QatOptions());
        var plan = QatPlan.For(qat.Network);
        Assert.Equal(["features.relu1", "features.relu2", "classifier.relu3", "classifier.relu4", "logits"],
            plan.Steps.Where(s => s.Quantized).Select(s => s.Value));
        // MaxPool and Flatten keep their input's grid: their ranges are their input's.
        Assert.Equal("features.relu2", plan.Steps.Single(s => s.Value == "classifier.flatten").RangeOf);
        Assert.Equal(["input", "features.conv1", "features.relu1", "features.conv2", "features.relu2", "classifier.fc1", "classifier.relu3", "classifier.fc2", "classifier.relu4", "logits"],
            plan.ObservedValues);
    }

    [Fact]
    public void ANetworkWithUnfoldedBatchNorm_IsRefused_WithTheFix()
    {
        using var vgg = NetworkCatalog.Create("vgg-bn");
        var error = Assert.Throws<NotSupportedException>(() => new FakeQuantNetwork(vgg, Talk.Kit.Compression.Quantization.QuantType.SignedBits(4)));
        Assert.Contains("BatchNormFolding.FoldedCopy", error.Message);
    }

    [Fact]
    public void EvalBeforeCalibration_IsAClearError()
    {
        using var trained = NetworkCatalog.Create("lenet-5");
        using var qat = QuantizationAwareTraining.Prepare(trained, new QatOptions());
        qat.eval();
        using var scope = NewDisposeScope();
        Assert.Contains("No range observed yet", Assert.Throws<InvalidOperationException>(() => qat.call(zeros(1, 1, 28, 28))).Message);
    }
}

/// <summary>The shipped Fashion-MNIST subset (5,000 train / 1,000 test): real data, fast.</summary>
internal static class QatData
{
    public static readonly FashionMnistData Subset = FashionMnist.LoadFrom(Path.Combine(DatasetLocator.FindRepositoryRoot()!, "datasets", "fashion-mnist"));
}
