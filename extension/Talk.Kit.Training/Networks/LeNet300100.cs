using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Networks;

/// <summary>
/// LeNet-300-100: the fully connected net of LeCun et al. (1998) that Han et al. prune in
/// "Learning both Weights and Connections" (NIPS 2015) and "Deep Compression" (ICLR 2016).
/// </summary>
/// <remarks>
/// Parameters (weights + biases): 784·300+300 = 235,500; 300·100+100 = 30,100; 100·10+10 = 1,010;
/// total 266,610.
/// </remarks>
internal static class LeNet300100
{
    public const string Name = "lenet-300-100";

    public const string Description =
        "MLP 784-300-100-10 with ReLU (LeCun 1998; pruned by Han et al. 2015): 266,610 parameters, all in Gemms.";

    public static Sequential Create() => nn.Sequential(
        ("flatten", nn.Flatten()),        // [N,1,28,28] → [N,784]
        ("fc1", nn.Linear(784, 300)),
        ("relu1", nn.ReLU()),
        ("fc2", nn.Linear(300, 100)),
        ("relu2", nn.ReLU()),
        ("fc3", nn.Linear(100, 10)));     // [N,10] logits
}
