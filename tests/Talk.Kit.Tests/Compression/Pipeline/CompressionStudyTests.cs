using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Pipeline;
using Talk.Kit.Compression.Quantization.Study;
using Talk.Kit.Data;
using Talk.Kit.Training;

namespace Talk.Kit.Tests.Compression.Pipeline;

/// <summary>One-shot Deep Compression of the trained LeNet-300-100, judged by ONNX Runtime on 2,000 test images.</summary>
public class CompressionStudyTests
{
    private static readonly QuantizationData Data = QuantizationData.FashionMnist(FashionMnist.Load());

    [Fact]
    public void EveryStageIsSmaller_AndTheFileDecodesToExactlyTheSharedModel()
    {
        var model = Zoo.Get("lenet-300-100").Model;
        var outcome = CompressionStudy.Run(model, new CompressionRequest(Sparsity: 0.5, Images: 2000), Data);

        Assert.Equal(["dense fp32", "pruned (relative index, fp32 values)", "shared (cluster indices + codebooks)", "Huffman-coded file"], outcome.Stages.Select(s => s.Stage));
        var bytes = outcome.Stages.Select(s => s.Bytes).ToList();
        Assert.Equal(bytes.OrderDescending(), bytes);
        Assert.Equal(model.InitializerBytes, bytes[0]);
        Assert.Equal(outcome.File!.LongLength, outcome.FinalBytes);
        Assert.Equal(DeepCompression.Decompress(outcome.File, "again").Fingerprint, outcome.Result.Fingerprint);
        var (shared, decoded) = (outcome.Stages[2].Quality!, outcome.Stages[3].Quality!);
        Assert.Equal(shared.Accuracy, decoded.Accuracy);           // the file holds exactly the shared weights
        Assert.Equal(1.0, decoded.MeanCosine, 1e-12 + (1 - shared.MeanCosine) * 1.000001);
        string stages = string.Join("; ", outcome.Stages.Select(s => $"{s.Stage} {s.Bytes} B {s.Quality?.Accuracy:P2}"));
        double pruned = outcome.Stages[1].Quality!.Accuracy!.Value;
        Assert.True(Math.Abs(pruned - decoded.Accuracy!.Value) <= 0.005, stages);                   // sharing at the paper's 8/5 bits costs ≤ 0.5 points
        Assert.True(outcome.Stages[0].Quality!.Accuracy!.Value - pruned is > 0 and < 0.06, stages); // one-shot 50% pruning costs some, not all
        Assert.InRange(outcome.CompressionRatio, 5, 40);
    }

    [Fact]
    public void UnderABudget_TheFileFits_AndThePlanIsReported()
    {
        var model = Zoo.Get("lenet-300-100").Model;
        var outcome = CompressionStudy.Run(model, new CompressionRequest(Budget: 100_000, Images: 500), Data);

        Assert.True(outcome.WithinBudget);
        Assert.True(outcome.File!.Length <= 100_000);
        Assert.NotNull(outcome.Plan?.Chosen);
        Assert.Equal(outcome.Plan!.Chosen!.Recipe, outcome.Recipe);
        Assert.Equal(outcome.Plan.Chosen.FileBytes, outcome.FinalBytes); // same recipe, same one-shot weights: same file
    }

    [Fact]
    public void APipelineWithoutHuffman_WritesNoFile_AndReportsTheLayoutSize()
    {
        var model = Zoo.Get("lenet-300-100").Model;
        var outcome = CompressionStudy.Run(model, new CompressionRequest(CompressionStages.Prune | CompressionStages.Share, Sparsity: 0.9, Images: 500), Data);

        Assert.Null(outcome.File);
        Assert.Equal(3, outcome.Stages.Count);
        Assert.Equal(outcome.Stages[^1].Bytes, outcome.FinalBytes);
        Assert.Throws<InvalidOperationException>(() => outcome.Save(Path.Combine(Path.GetTempPath(), "never.tkdc")));
    }
}
