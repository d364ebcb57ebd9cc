using Talk.Kit.Compression.Quantization;
using Talk.Kit.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Qat;

/// <summary>
/// A plain network (no BatchNorm: fold it first) run with fake quantization: every Conv/Linear weight on the static
/// quantizer's n-bit per-channel grid, activations on uint8 grids whose ranges are observed while training
/// (see <see cref="QatPlan"/> for where). Train it with <see cref="Trainer.Train"/> like any module: the gradients reach
/// the wrapped network's float weights through straight-through estimators, and that network is what gets exported.
/// </summary>
/// <remarks>
/// Observers update in training mode until frozen, and during <see cref="Calibrate"/>; in eval mode the ranges are
/// fixed. Calibration runs the float network (no fake quantization), as a post-training quantizer calibrates.
/// The wrapper owns the wrapped network: disposing it disposes the network.
/// </remarks>
public sealed class FakeQuantNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> network; // registered as a submodule: its parameters are this module's
    private readonly QatPlan plan;
    private readonly Dictionary<string, RangeObserver> observers;
    private bool calibrating;
    private int trainingBatches;
    private int? freezeAfter;

    /// <summary>Wraps <paramref name="network"/> (a tree of Sequentials without BatchNorm), taking ownership of it.</summary>
    /// <param name="network">The float network; its ONNX export has the value names the ranges are keyed by.</param>
    /// <param name="weightType">Weight grid, e.g. <c>QuantType.SignedBits(4)</c>.</param>
    /// <param name="perChannel">One weight scale per output channel (true) or per tensor.</param>
    /// <param name="momentum">Moving-average weight of each training batch in the activation ranges.</param>
    public FakeQuantNetwork(nn.Module<Tensor, Tensor> network, QuantType weightType, bool perChannel = true, double momentum = 0.01)
        : base(nameof(FakeQuantNetwork))
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(weightType);
        if (!weightType.IsSigned)
            throw new ArgumentException($"Weights use a signed symmetric grid, not {weightType}: use QuantType.SignedBits(n).", nameof(weightType));
        this.network = network;
        plan = QatPlan.For(network);
        observers = plan.ObservedValues.ToDictionary(v => v, _ => new RangeObserver(RangeTracking.MovingAverage, momentum));
        WeightType = weightType;
        PerChannel = perChannel;
        RegisterComponents();
    }

    /// <summary>The wrapped float network: export it to get the fine-tuned fp32 model.</summary>
    public nn.Module<Tensor, Tensor> Network => network;

    /// <summary>The weight grid.</summary>
    public QuantType WeightType { get; }

    /// <summary>Per-channel (true) or per-tensor weight scales.</summary>
    public bool PerChannel { get; }

    /// <summary>Images that went through the observers (calibration and training until frozen).</summary>
    public long ImagesObserved { get; private set; }

    /// <summary>True once the activation ranges stopped moving.</summary>
    public bool RangesFrozen => observers.Values.All(o => o.Frozen);

    /// <summary>The observer of each observed value (input, convs, gemms, activations, average pools).</summary>
    public IReadOnlyDictionary<string, RangeObserver> Observers => observers;

    /// <summary>
    /// The range of every value of the exported graph: the graph input, every node's output (MaxPool and Flatten share
    /// their input's range, as their int8 kernels share its scale), and the graph output.
    /// </summary>
    public IReadOnlyDictionary<string, TensorRange> Ranges =>
        plan.Values.ToDictionary(v => v.Value, v => observers[v.RangeOf].Range, StringComparer.Ordinal);

    /// <summary>The uint8 grid the static quantizer will derive from a range (asymmetric, stretched to include 0).</summary>
    public static QuantParams ActivationParams(TensorRange range) => QuantParams.ForRange(range, QuantType.UInt8, symmetric: false);

    /// <summary>The ranges as the static quantizer's input.</summary>
    /// <param name="method">How they were found, e.g. "QAT moving average (frozen)".</param>
    public ActivationRanges ToActivationRanges(string method) => new(Ranges, method, checked((int)ImagesObserved));

    /// <summary>
    /// Sets every range to the min/max of the float network's activations over the first <paramref name="count"/>
    /// images (post-training calibration, as ONNX Runtime's MinMax calibrator). Later training batches then move
    /// the ranges by moving average. Runs in eval mode without gradients.
    /// </summary>
    public void Calibrate(LabelledImages images, int count = 1000, int batchSize = 250)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        count = Math.Min(count, images.Count);
        bool wasTraining = training;
        eval();
        calibrating = true;
        foreach (var o in observers.Values) o.Tracking = RangeTracking.MinMax;
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, count - start);
                forward(tensor(images.ToTensorData(start, n), [n, 1, images.Rows, images.Cols]));
            }
        }
        finally
        {
            calibrating = false;
            foreach (var o in observers.Values) o.Tracking = RangeTracking.MovingAverage;
            train(wasTraining);
        }
    }

    /// <summary>Stops every observer: from now on the network trains against fixed grids (those exported).</summary>
    public void FreezeRanges()
    {
        foreach (var o in observers.Values) o.Frozen = true;
    }

    /// <summary>Freezes the ranges once <paramref name="batches"/> training batches have run (0: now).</summary>
    public void FreezeRangesAfter(int batches)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        freezeAfter = batches;
        if (trainingBatches >= batches) FreezeRanges();
    }

    /// <summary>
    /// The network with fake quantization: [N,1,28,28] → [N,10]. In training mode observers update (unless frozen)
    /// before their value is quantized, as in PyTorch's FakeQuantize.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        bool observe = calibrating || (training && !RangesFrozen);
        var x = Point(plan.InputName, input, quantize: true, observe);
        foreach (var step in plan.Steps)
        {
            x = step.Module switch
            {
                Conv2d conv when !calibrating => nn.functional.conv2d(x, FakeQuantizer.Weights(conv.weight!, WeightType, PerChannel), conv.bias,
                    conv.stride, conv.padding ?? [0, 0], conv.dilation, conv.groups),
                Linear linear when !calibrating => nn.functional.linear(x, FakeQuantizer.Weights(linear.weight!, WeightType, PerChannel), linear.bias),
                var module => module.call(x),
            };
            if (step.Observed)
                x = Point(step.Value, x, step.Quantized, observe);
        }
        if (observe) ImagesObserved += input.shape[0];
        if (training && !calibrating && ++trainingBatches >= freezeAfter) FreezeRanges();
        return x;
    }

    private Tensor Point(string value, Tensor x, bool quantize, bool observe)
    {
        var observer = observers[value];
        if (observe)
        {
            using var scope = NewDisposeScope(); // frees the two scalars at once
            using var noGrad = no_grad();
            var (min, max) = x.aminmax();
            observer.Observe(min.item<float>(), max.item<float>());
        }
        return quantize && !calibrating ? FakeQuantizer.Activations(x, ActivationParams(observer.Range)) : x;
    }
}
