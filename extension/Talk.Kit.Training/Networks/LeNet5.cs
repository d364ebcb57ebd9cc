using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Networks;

/// <summary>
/// The classic LeNet-5 (LeCun et al., "Gradient-Based Learning Applied to Document Recognition", 1998),
/// with ReLU and max pooling as in most modern re-implementations, and padding 2 on the first conv so a
/// 28×28 Fashion-MNIST image sees the 32×32 field the paper used.
/// </summary>
/// <remarks>
/// Shapes: [N,1,28,28] → conv1 (pad 2) [N,6,28,28] → pool1 [N,6,14,14] → conv2 [N,16,10,10] → pool2
/// [N,16,5,5] → flatten [N,400] → fc1 [N,120] → fc2 [N,84] → fc3 [N,10].
/// Parameters: conv1 6·1·5·5+6 = 156; conv2 16·6·5·5+16 = 2,416; fc1 400·120+120 = 48,120;
/// fc2 120·84+84 = 10,164; fc3 84·10+10 = 850; total 61,706.
/// (Not the Caffe variant with 20/50 channels and a 500-unit layer that Han et al. prune: that one has 431,080.)
/// </remarks>
internal static class LeNet5
{
    public const string Name = "lenet-5";

    public const string Description =
        "Classic LeNet-5 (LeCun 1998): conv 6·5×5 → pool → conv 16·5×5 → pool → fc 120 → 84 → 10; 61,706 parameters.";

    public static Sequential Create() => nn.Sequential(
        ("features", nn.Sequential(
            ("conv1", nn.Conv2d(1, 6, kernel_size: 5, padding: 2)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(kernel_size: 2)),
            ("conv2", nn.Conv2d(6, 16, kernel_size: 5)),
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(kernel_size: 2)))),
        ("classifier", nn.Sequential(
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(400, 120)),
            ("relu3", nn.ReLU()),
            ("fc2", nn.Linear(120, 84)),
            ("relu4", nn.ReLU()),
            ("fc3", nn.Linear(84, 10)))));
}
