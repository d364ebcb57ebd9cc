using Talk.Kit.Compression.Quantization;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training.Qat;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Training.Qat;

[Collection(TorchCollection.Name)]
public sealed class FakeQuantizerTests
{
    // Row 0: absmax 0.875 = 7·0.125, so the 4-bit scale is exactly 0.125 and x/s hits ties: 2.5 → 2, 3.5 → 4, −1.5 → −2.
    // Row 1: ordinary values. Row 2: all zero (scale 1 by the contract, every value stays 0).
    private static readonly float[,] Hand = { { 0.3125f, 0.4375f, -0.1875f, 0.875f }, { 0.7f, -0.35f, 0.1f, -0.04f }, { 0f, 0f, 0f, 0f } };

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(2)]
    public void Weights_PerChannel_EqualQuantParamsFakeQuantize_ChannelByChannel(int bits)
    {
        using var scope = NewDisposeScope();
        var type = QuantType.SignedBits(bits);
        var result = FakeQuantizer.Weights(tensor(Hand), type).data<float>().ToArray();

        for (int c = 0; c < 3; c++)
        {
            var row = Enumerable.Range(0, 4).Select(i => Hand[c, i]).ToArray();
            var reference = QuantParams.ForRange(TensorRange.Of(row), type, symmetric: true); // the quantizer's weight rule
            for (int i = 0; i < 4; i++)
                Assert.Equal(reference.FakeQuantize(row[i]), result[c * 4 + i]);
        }
    }

    [Fact]
    public void Weights_RoundHalfToEven_LikeQuantizeLinear()
    {
        using var scope = NewDisposeScope();
        var result = FakeQuantizer.Weights(tensor(Hand), QuantType.SignedBits(4)).data<float>().ToArray();
        Assert.Equal([2 * 0.125f, 4 * 0.125f, -2 * 0.125f, 7 * 0.125f], result[..4]);
        Assert.Equal([0f, 0f, 0f, 0f], result[8..]);
    }

    [Fact]
    public void Weights_PerTensor_UseOneScaleFromTheWholeTensor()
    {
        using var scope = NewDisposeScope();
        var type = QuantType.SignedBits(4);
        var result = FakeQuantizer.Weights(tensor(Hand), type, perChannel: false).data<float>().ToArray();
        var all = Hand.Cast<float>().ToArray();
        var reference = QuantParams.ForRange(TensorRange.Of(all), type, symmetric: true);
        Assert.Equal(all.Select(reference.FakeQuantize), result);
        Assert.Equal([0.875f / 7], FakeQuantizer.WeightScales(tensor(Hand), type, perChannel: false).data<float>().ToArray());
    }

    [Fact]
    public void Weights_OfAConv_HaveOneScalePerOutputChannel()
    {
        using var scope = NewDisposeScope();
        var w = arange(2 * 3 * 2 * 2, ScalarType.Float32).reshape(2, 3, 2, 2) - 10;  // [out=2, in=3, 2, 2], values −10…13
        var scales = FakeQuantizer.WeightScales(w, QuantType.Int8).data<float>().ToArray();
        Assert.Equal([10f / 127, 13f / 127], scales);
        Assert.Equal(w.shape, FakeQuantizer.Weights(w, QuantType.Int8).shape);
    }

    [Fact]
    public void Activations_EqualQuantParamsFakeQuantize_InsideAndOutsideTheRange()
    {
        using var scope = NewDisposeScope();
        var p = QuantParams.ForRange(new TensorRange(-1f, 3f), QuantType.UInt8, symmetric: false);
        float[] x = [-2.5f, -1f, -0.3f, 0f, 0.01f, 1.234f, 2.99f, 3f, 7f];
        var result = FakeQuantizer.Activations(tensor(x), p).data<float>().ToArray();
        Assert.Equal(x.Select(p.FakeQuantize), result);
        Assert.Equal(0f, result[3]); // zero is exact on the grid (zero padding, ReLU)
    }

    [Fact]
    public void TorchRound_IsHalfToEven()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([0f, 2f, 2f, -2f, -0f, 4f], tensor(new[] { 0.5f, 1.5f, 2.5f, -2.5f, -0.5f, 3.5f }).round().data<float>().ToArray());
    }

    [Fact]
    public void WeightGradient_IsOne_Everywhere()
    {
        using var scope = NewDisposeScope();
        var w = tensor(Hand).requires_grad_();
        FakeQuantizer.Weights(w, QuantType.SignedBits(3)).mul(tensor(new float[] { 1, 2, 3, 4 })).sum().backward();
        // d/dw Σ g·q(w) = g with the STE (rounding treated as the identity; absmax never clips).
        Assert.Equal(Enumerable.Repeat(new float[] { 1, 2, 3, 4 }, 3).SelectMany(r => r), w.grad!.data<float>().ToArray());
    }

    [Fact]
    public void ActivationGradient_IsOneInsideTheRange_AndZeroOutside()
    {
        using var scope = NewDisposeScope();
        var p = QuantParams.ForRange(new TensorRange(0f, 2.55f), QuantType.UInt8, symmetric: false); // grid [0, 2.55], step 0.01
        var x = tensor(new[] { -0.5f, 0f, 1.234f, 2.5f, 3f }).requires_grad_();
        FakeQuantizer.Activations(x, p).sum().backward();
        Assert.Equal([0f, 1f, 1f, 1f, 0f], x.grad!.data<float>().ToArray()); // clipped values do not move with x
    }

    [Fact]
    public void UnsignedWeightGrid_IsRefused()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("SignedBits", Assert.Throws<ArgumentException>(() => FakeQuantizer.Weights(tensor(Hand), QuantType.UInt8)).Message);
    }
}
