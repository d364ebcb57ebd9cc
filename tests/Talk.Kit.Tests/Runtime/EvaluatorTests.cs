using Talk.Kit.Data;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Runtime;

public class EvaluatorTests
{
    // A "classifier" whose logit c is pixel c of the image: Flatten, then Gemm with W[c, c] = 1 (W is [10, 784], transB).
    private static Model PixelPicker(float sign = 1)
    {
        var w = new float[10 * 784];
        for (int c = 0; c < 10; c++) w[c * 784 + c] = sign;
        var bytes = new OnnxGraphBuilder("picker")
            .Input("x", OnnxElementType.Float, -1, 1, 28, 28)
            .Initializer("W", w, 10, 784)
            .Node("Flatten", ["x"], ["flat"], new Dictionary<string, object> { ["axis"] = 1L })
            .Node("Gemm", ["flat", "W"], ["logits"], new Dictionary<string, object> { ["transB"] = 1L })
            .Output("logits", OnnxElementType.Float, -1, 10)
            .ToBytes();
        return ModelLoader.Load(bytes, sign > 0 ? "picker" : "anti-picker");
    }

    // Image i has its bright pixel at index `bright[i]`; its label is `labels[i]`.
    private static LabelledImages Images(int[] bright, byte[] labels)
    {
        var pixels = new byte[bright.Length * 784];
        for (int i = 0; i < bright.Length; i++) pixels[i * 784 + bright[i]] = 255;
        return new LabelledImages(pixels, labels, 28, 28, FashionMnist.ClassNames, "crafted");
    }

    [Fact]
    public void Accuracy_CountsTopOnePredictions_PerClass_AndInAConfusionMatrix()
    {
        // Predictions: 0, 1, 2, 2 for labels 0, 1, 2, 3 → 3 of 4 correct; class 3 predicted as 2.
        var data = Images([0, 1, 2, 2], [0, 1, 2, 3]);
        var result = Evaluator.Accuracy(PixelPicker(), data, batchSize: 3); // 3 + a remainder of 1

        Assert.Equal(4, result.Images);
        Assert.Equal(3, result.Correct);
        Assert.Equal(0.75, result.Accuracy);
        Assert.Equal(1, result.Confusion[3][2]);
        Assert.Equal(0, result.PerClass[3].Correct);
        Assert.Equal(1.0, result.PerClass[0].Accuracy);
    }

    [Fact]
    public void Agreement_WithItself_IsPerfect_AndWithTheNegatedModel_IsOpposite()
    {
        var data = Images([0, 1, 5, 7], [0, 1, 5, 7]);
        var inputs = new[] { (data.ToTensorData(0, 4), new long[] { 4, 1, 28, 28 }) };

        var self = Evaluator.Agreement(PixelPicker(), PixelPicker(), inputs);
        Assert.Equal(1.0, self.Top1Agreement);
        Assert.Equal(1.0, self.MeanCosine, 9);
        Assert.Equal(0.0, self.MaxAbsDifference);

        var opposite = Evaluator.Agreement(PixelPicker(), PixelPicker(-1), inputs);
        Assert.Equal(-1.0, opposite.MeanCosine, 6); // outputs are exact negatives
        Assert.Equal(0.0, opposite.Top1Agreement);
    }

    [Fact]
    public void AModelWithTheWrongNumberOfOutputs_IsAClearError()
    {
        var data = new LabelledImages(new byte[784], [0], 28, 28, ["only"], "one class");
        var error = Assert.Throws<InvalidOperationException>(() => Evaluator.Accuracy(PixelPicker(), data));
        Assert.Contains("gives 10 outputs per image", error.Message);
        Assert.Contains("1 classes", error.Message);
    }

    [Fact]
    public void CosineAndArgMax_FollowTheirDefinitions()
    {
        Assert.Equal(0.0, Evaluator.Cosine([1, 0], [0, 1]), 12);
        Assert.Equal(1.0, Evaluator.Cosine([0, 0], [0, 0]));
        Assert.Equal(1, Evaluator.ArgMax([1, 3, 3, 2])); // first of the ties
    }
}
