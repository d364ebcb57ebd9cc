using Talk.Kit.Compression.Quantization;
using Talk.Kit.Compression.Quantization.Calibration;
using Talk.Kit.Models;

namespace Talk.Kit.Tests.Compression.Quantization.Calibration;

public sealed class CalibratorTests
{
    /// <summary>
    /// x[batch,4] → MatMul W[4,3] → m → Add b[3] → a → Relu → r. W rows: [1,0,−1], [0,2,0], [0,0,1], [1,1,1]; b = [−2, 1, 0].
    /// </summary>
    private static Model HandGraph() => Model.FromBytes(new OnnxGraphBuilder("mm-relu")
        .Input("x", OnnxElementType.Float, -1, 4)
        .Initializer("W", [1f, 0, -1, 0, 2, 0, 0, 0, 1, 1, 1, 1], 4, 3)
        .Initializer("b", [-2f, 1, 0], 3)
        .Node("MatMul", ["x", "W"], ["m"])
        .Node("Add", ["m", "b"], ["a"])
        .Node("Relu", ["a"], ["r"])
        .Output("r", OnnxElementType.Float, -1, 3)
        .ToBytes(), "mm-relu");

    // Row by hand:       x                m = x·W             a = m + b           r = relu(a)
    //   [1, 2, 3, 4]     [5, 8, 6]           [3, 9, 6]           [3, 9, 6]
    //   [−1, 0, 0, 0]    [−1, 0, 1]          [−3, 1, 1]          [0, 1, 1]
    //   [0, −3, 1, 0.5]  [0.5, −5.5, 1.5]    [−1.5, −4.5, 1.5]   [0, 0, 1.5]
    private static IEnumerable<(float[], long[])> HandBatches(Action? onEach = null)
    {
        onEach?.Invoke();
        yield return ([1f, 2, 3, 4, -1, 0, 0, 0], [2, 4]);
        onEach?.Invoke();
        yield return ([0f, -3, 1, 0.5f], [1, 4]);
    }

    [Fact]
    public void MinMax_GivesTheExactExtremesOfEveryIntermediate()
    {
        var ranges = Calibrator.Calibrate(HandGraph(), HandBatches(), new CalibrationOptions(Threads: 1));

        Assert.Equal(new TensorRange(-3f, 4f), ranges["x"]);
        Assert.Equal(new TensorRange(-5.5f, 8f), ranges["m"]);
        Assert.Equal(new TensorRange(-4.5f, 9f), ranges["a"]);
        Assert.Equal(new TensorRange(0f, 9f), ranges["r"]);
        Assert.Equal(4, ranges.Ranges.Count);
        Assert.Equal(3, ranges.Samples);
        Assert.Equal("MinMax", ranges.Method);
    }

    [Fact]
    public void Samples_LimitsTheRowsRun_EvenInsideABatch()
    {
        var ranges = Calibrator.Calibrate(HandGraph(), HandBatches(), new CalibrationOptions(Samples: 1, Threads: 1));

        Assert.Equal(1, ranges.Samples);
        Assert.Equal(new TensorRange(5f, 8f), ranges["m"]); // the first row only
        Assert.Equal(new TensorRange(3f, 9f), ranges["r"]);
    }

    [Fact]
    public void Tensors_RestrictsWhatIsObserved()
    {
        var ranges = Calibrator.Calibrate(HandGraph(), HandBatches(), new CalibrationOptions(Tensors: ["a"], Threads: 1));

        Assert.Equal(["a"], ranges.Ranges.Keys);
        Assert.Equal(new TensorRange(-4.5f, 9f), ranges["a"]);
    }

    [Fact]
    public void Progress_ReachesTheTotal()
    {
        var reports = new List<CalibrationProgress>();
        var batches = Enumerable.Range(0, 5).Select(i => (new float[] { i, 0, 0, 0, 0, i, 0, 0 }, new long[] { 2, 4 }));

        Calibrator.Calibrate(HandGraph(), batches, new CalibrationOptions(Samples: 10, Threads: 1), new SyncProgress<CalibrationProgress>(reports.Add));

        Assert.Equal([2, 4, 6, 8, 10], reports.Select(r => r.Samples));
        Assert.All(reports, r => Assert.Equal(10, r.Total));
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    [Fact]
    public void FewerSamplesThanAsked_EndsWithAReportOfWhatWasRun()
    {
        var reports = new List<CalibrationProgress>();
        var ranges = Calibrator.Calibrate(HandGraph(), HandBatches(), new CalibrationOptions(Samples: 100, Threads: 1), new SyncProgress<CalibrationProgress>(reports.Add));

        Assert.Equal(3, ranges.Samples);
        Assert.Equal(new CalibrationProgress(3, 3), reports[^1]);
    }

    [Fact]
    public void Cancellation_StopsAtTheNextBatch()
    {
        using var cts = new CancellationTokenSource();
        int pulled = 0;
        var batches = Enumerable.Range(0, 100).Select(_ => { pulled++; return (new float[8], new long[] { 2, 4 }); });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Calibrator.Calibrate(HandGraph(), batches, new CalibrationOptions(Samples: 200, Threads: 1),
                new SyncProgress<CalibrationProgress>(p => { if (p.Samples >= 4) cts.Cancel(); }), cts.Token));
        Assert.InRange(pulled, 2, 3); // cancelled after the second batch: at most one more is pulled
    }

    [Fact]
    public void CancelledBeforeStart_Throws()
    {
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Calibrator.Calibrate(HandGraph(), HandBatches(), cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void EmptySet_IsOneReadableMessage()
    {
        var error = Assert.Throws<QuantizationException>(() => Calibrator.Calibrate(HandGraph(), []));
        Assert.Contains("Calibration needs real samples, but the batches held none", error.Message);
        Assert.Contains("CalibrationSet.FromTraining", error.Message);
    }

    [Fact]
    public void UnknownTensor_NamesTheOnesThatExist()
    {
        var error = Assert.Throws<QuantizationException>(() =>
            Calibrator.Calibrate(HandGraph(), HandBatches(), new CalibrationOptions(Tensors: ["conv9"])));
        Assert.Contains("has no tensor named 'conv9'", error.Message);
        Assert.Contains("x, m, a, r", error.Message);
    }

    [Fact]
    public void Weight_IsNotAnActivation()
    {
        var error = Assert.Throws<QuantizationException>(() =>
            Calibrator.Calibrate(HandGraph(), HandBatches(), new CalibrationOptions(Tensors: ["W"])));
        Assert.Contains("'W' is a weight", error.Message);
    }

    [Theory]
    [InlineData(new long[] { 2, 5 }, 10, "dimension 1 is 5, expected 4")]
    [InlineData(new long[] { 2, 4 }, 7, "the shape holds 8 values but the data has 7")]
    [InlineData(new long[] { 2, 2, 2 }, 8, "rank 3, expected 2")]
    public void WrongInputShape_IsAReadableError(long[] shape, int length, string expected)
    {
        var error = Assert.Throws<QuantizationException>(() =>
            Calibrator.Calibrate(HandGraph(), [(new float[length], shape)], new CalibrationOptions(Threads: 1)));
        Assert.Contains(expected, error.Message);
        Assert.Contains("x: float[batch,4]", error.Message);
    }

    [Fact]
    public void PercentileAndEntropy_ComeFromTheSameStatistics_AndNeverWidenMinMax()
    {
        var random = new Random(3);
        var batches = Enumerable.Range(0, 8).Select(_ =>
            (Enumerable.Range(0, 64 * 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), new long[] { 64, 4 })).ToList();
        var stats = Calibrator.Collect(HandGraph(), batches, new CalibrationOptions(Threads: 1));

        var minMax = stats.ToRanges(new CalibrationOptions(CalibrationMethod.MinMax));
        var percentile = stats.ToRanges(new CalibrationOptions(CalibrationMethod.Percentile, Percentile: 99));
        var entropy = stats.ToRanges(new CalibrationOptions(CalibrationMethod.Entropy));

        Assert.Equal(512, stats.Samples);
        Assert.Equal("Percentile 99", percentile.Method);
        Assert.Equal("Entropy (KL, 2048 bins → 128 levels)", entropy.Method);
        foreach (string t in new[] { "x", "m", "a", "r" })
        {
            Assert.InRange(percentile[t].Min, minMax[t].Min, 0f);
            Assert.InRange(percentile[t].Max, 0f, minMax[t].Max);
            Assert.InRange(entropy[t].Max, 0f, minMax[t].Max);
        }
        // x ~ U(−1, 1): its 99th percentile of |x| is ≈ 0.99, symmetric.
        Assert.InRange(percentile["x"].Max, 0.97f, 1f);
        Assert.Equal(-percentile["x"].Max, percentile["x"].Min);
        Assert.Equal(0f, percentile["r"].Min); // after ReLU the range stays one-sided
    }
}

/// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, too late for asserts).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

public sealed class CalibrationCancellationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>x[batch,512] through 12 MatMuls by 512×512: ~26 GFLOP for a batch of 4096, about a second or more on one thread.</summary>
    private static Model Heavy()
    {
        var b = new OnnxGraphBuilder("heavy").Input("x", OnnxElementType.Float, -1, 512);
        var w = Enumerable.Range(0, 512 * 512).Select(i => (i % 7 - 3) * 0.01f).ToArray();
        string previous = "x";
        for (int i = 0; i < 12; i++)
        {
            b.Initializer($"w{i}", w, 512, 512).Node("MatMul", [previous, $"w{i}"], [$"h{i}"]);
            previous = $"h{i}";
        }
        return Model.FromBytes(b.Output(previous, OnnxElementType.Float, -1, 512).ToBytes(), "heavy");
    }

    [Fact]
    public void CancellingDuringARun_StopsOnnxRuntimeWithinTheRun()
    {
        var model = Heavy();
        var batch = (new float[4096 * 512], new long[] { 4096, 512 });
        var options = new CalibrationOptions(Samples: 4096, Tensors: ["h11"], Threads: 1);
        var full = System.Diagnostics.Stopwatch.StartNew();
        Calibrator.Calibrate(model, [batch], options);
        full.Stop();

        // A fixed, early moment: the run (hundreds of ms at the very least) cannot finish before it, whatever the
        // first run's speed was (other test classes run in parallel and can slow either run). A dedicated thread
        // cancels: a timer's callback waits for a thread-pool thread, which parallel test classes can starve.
        using var cts = new CancellationTokenSource();
        var canceller = new Thread(() => { Thread.Sleep(50); cts.Cancel(); }) { IsBackground = true };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        canceller.Start();
        Assert.ThrowsAny<OperationCanceledException>(() => Calibrator.Calibrate(model, [batch], options, cancellationToken: cts.Token));
        clock.Stop();
        canceller.Join();
        output.WriteLine($"full run {full.ElapsedMilliseconds} ms, cancelled after {clock.ElapsedMilliseconds} ms");

        Assert.True(clock.Elapsed < full.Elapsed * 0.6, $"cancelled run took {clock.ElapsedMilliseconds} ms of a {full.ElapsedMilliseconds} ms run");
    }
}
