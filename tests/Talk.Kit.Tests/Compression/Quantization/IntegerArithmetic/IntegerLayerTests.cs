using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.IntegerArithmetic;
using Xunit.Abstractions;

namespace Talk.Kit.Tests.Compression.Quantization.IntegerArithmetic;

public sealed class IntegerLayerTests(ITestOutputHelper output)
{
    [Fact]
    public void HandConv_AccumulatorAndTie_IntegerRoundsAwayFromZero_OrtAndFloatToEven()
    {
        // x codes [10, 20, 30, 40] (z_x 10, s_x 0.5), one 2×2 filter [1, −2, 3, 4] (s_w 0.25), bias 5, no padding:
        // acc = 0·1 + 10·(−2) + 20·3 + 30·4 + 5 = 165; M = 0.5·0.25/0.25 = 0.5; M·acc = 82.5, a tie.
        var layer = new QuantizedConv([10, 20, 30, 40], [1, 1, 2, 2], new QuantParams(0.5f, 10, QuantType.UInt8),
            [1, -2, 3, 4], [1, 1, 2, 2], [new QuantParams(0.25f, 0, QuantType.Int8)], [5],
            new QuantParams(0.25f, 3, QuantType.UInt8), ConvGeometry.Default);

        var report = IntegerArithmeticCheck.Conv(layer);

        Assert.Equal([165], report.Integer.Accumulators);
        Assert.Equal(new FixedPointMultiplier(0.5, 1 << 30, 0), report.Integer.Multipliers[0]);
        Assert.Equal([3 + 83], report.Integer.Output); // gemmlowp: ties away from zero
        Assert.Equal([3 + 82], report.Ort);             // MLAS: float multiply, round half to even
        Assert.Equal([3 + 82], report.Float);           // QuantizeLinear: half to even
    }

    /// <remarks>
    /// uint8 activations use 7-bit weights (ONNX Runtime's reduce_range): on x86 CPUs without VNNI, MLAS multiplies
    /// uint8×int8 with VPMADDUBSW, whose int16 pair sums saturate above 32,767 (255·127·2 = 64,770 can occur); with
    /// weights in −63…63 no pair can (see <see cref="Conv_Uint8ActivationsFullInt8Weights_IntegerMatchesFloat_OrtMaySaturate"/>).
    /// </remarks>
    [Theory]
    [InlineData("uint8", true, 7)]
    [InlineData("uint8", false, 7)]
    [InlineData("int8", true, 8)]
    [InlineData("int8", false, 8)]
    public void Conv_3to4_3x3_On8x8_MatchesOnnxRuntime(string activations, bool perChannel, int weightBits)
    {
        var layer = SmallConv(Type(activations), perChannel, QuantType.SignedBits(weightBits));

        var report = IntegerArithmeticCheck.Conv(layer);
        output.WriteLine(report.ToString());

        Assert.Equal([2L, 4, 8, 8], report.Integer.Shape);
        Assert.Equal(perChannel ? 4 : 1, report.Integer.Multipliers.Count);
        Assert.Equal(DirectAccumulator(layer, n: 1, f: 2, oy: 0, ox: 7), report.Integer.Accumulators[((1 * 4 + 2) * 8 + 0) * 8 + 7]); // a padded corner
        Assert.InRange(report.Integer.AccumulatorBits, 8, 24); // 27 products of 8-bit codes: far from 32 bits
        Assert.InRange(report.IntegerVsOrt.MaxAbsDiff, 0, 1);
        Assert.True(report.IntegerVsOrt.ExactFraction >= 0.99, report.IntegerVsOrt.ToString());
        Assert.InRange(report.IntegerVsFloat.MaxAbsDiff, 0, 1);
        Assert.True(report.IntegerVsFloat.ExactFraction >= 0.99, report.IntegerVsFloat.ToString());
    }

    [Fact]
    public void Conv_Uint8ActivationsFullInt8Weights_IntegerMatchesFloat_OrtMaySaturate()
    {
        var layer = SmallConv(QuantType.UInt8, perChannel: true, QuantType.Int8);

        var report = IntegerArithmeticCheck.Conv(layer);
        output.WriteLine(report.ToString()); // ONNX Runtime's agreement here depends on the CPU (VNNI or not)

        Assert.InRange(report.IntegerVsFloat.MaxAbsDiff, 0, 1);
        Assert.True(report.IntegerVsFloat.ExactFraction >= 0.99, report.IntegerVsFloat.ToString());
    }

    [Theory]
    [InlineData("uint8", 7)]
    [InlineData("int8", 8)]
    public void MatMul_16x32_By_32x8_MatchesOnnxRuntime(string activations, int weightBits)
    {
        var random = new Random(7);
        var layer = QuantizedMatMul.FromFloat(Values(random, 16 * 32, -1, 1), 16, 32, Values(random, 32 * 8, -0.3, 0.3), 8, Type(activations),
            QuantType.SignedBits(weightBits));

        var report = IntegerArithmeticCheck.MatMul(layer);
        output.WriteLine(report.ToString());

        Assert.Equal([16L, 8], report.Integer.Shape);
        long direct = 0;
        for (int k = 0; k < 32; k++)
            direct += (long)(layer.A[3 * 32 + k] - layer.AParams.ZeroPoint) * (layer.B[k * 8 + 5] - layer.BParams[0].ZeroPoint);
        Assert.Equal(direct, report.Integer.Accumulators[3 * 8 + 5]);
        Assert.InRange(report.IntegerVsOrt.MaxAbsDiff, 0, 1);
        Assert.True(report.IntegerVsOrt.ExactFraction >= 0.99, report.IntegerVsOrt.ToString());
        Assert.InRange(report.IntegerVsFloat.MaxAbsDiff, 0, 1);
    }

    /// <summary>x [2,3,8,8] in [0, 1), w [4,3,3,3] (filter 0 ten times smaller, so per-channel scales matter), bias, pad 1.</summary>
    private static QuantizedConv SmallConv(QuantType activations, bool perChannel, QuantType weights)
    {
        var random = new Random(42);
        float[] x = Values(random, 2 * 3 * 8 * 8, 0, 1);
        float[] w = Values(random, 4 * 3 * 3 * 3, -0.5, 0.5);
        for (int i = 0; i < 27; i++) w[i] *= 0.1f;
        float[] b = Values(random, 4, -0.2, 0.2);
        return QuantizedConv.FromFloat(x, [2, 3, 8, 8], w, [4, 3, 3, 3], b, new ConvGeometry(Pad: 1), activations, perChannel, weights);
    }

    /// <summary>acc at one output position, summed in long straight from the definition (independent of IntegerConv's loops).</summary>
    private static long DirectAccumulator(QuantizedConv l, int n, int f, int oy, int ox)
    {
        long sum = l.Bias![f];
        for (int c = 0; c < 3; c++)
            for (int ky = 0; ky < 3; ky++)
                for (int kx = 0; kx < 3; kx++)
                {
                    int iy = oy - 1 + ky, ix = ox - 1 + kx;
                    int qx = iy is >= 0 and < 8 && ix is >= 0 and < 8 ? l.X[((n * 3 + c) * 8 + iy) * 8 + ix] : l.XParams.ZeroPoint;
                    sum += (long)(qx - l.XParams.ZeroPoint) * (l.W[((f * 3 + c) * 3 + ky) * 3 + kx] - l.WeightParams(f).ZeroPoint);
                }
        return sum;
    }

    private static QuantType Type(string name) => name == "uint8" ? QuantType.UInt8 : QuantType.Int8;

    private static float[] Values(Random random, int n, double lo, double hi) =>
        Enumerable.Range(0, n).Select(_ => (float)(lo + random.NextDouble() * (hi - lo))).ToArray();
}
