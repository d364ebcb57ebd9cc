using System.Runtime.CompilerServices;
using Talk.Kit.Training.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Talk.Kit.Training.Networks;

/// <summary>
/// The kit's networks for Fashion-MNIST: input [N,1,28,28] (N any), output [N,10] logits. Each is a tree of
/// named <c>Sequential</c>s of standard TorchSharp modules (plus <see cref="InvertedResidual"/>), so the ONNX
/// exporter can walk it and every layer has a readable path such as <c>features.conv1</c>.
/// </summary>
public static class NetworkCatalog
{
    private sealed record Entry(NetworkInfo Info, Func<Sequential> Build);

    // Parameter counts are derived by hand in each network's remarks, and tested.
    private static readonly Entry[] Entries =
    [
        new(new(LeNet300100.Name, LeNet300100.Description, 266_610), LeNet300100.Create),
        new(new(LeNet5.Name, LeNet5.Description, 61_706), LeNet5.Create),
        new(new(VggBn.Name, VggBn.Description, 288_170), VggBn.Create),
        new(new(MobileNetV2.Name, MobileNetV2.Description, 45_098), MobileNetV2.Create),
    ];

    // torch.manual_seed sets the process-wide generator; the lock keeps two concurrent Creates from
    // interleaving their draws (other code drawing random numbers at the same time still can).
    private static readonly object SeedGate = new();

    /// <summary>Catalogue names, smallest idea first: "lenet-300-100", "lenet-5", "vgg-bn", "mobilenet-v2".</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Info.Name).ToArray();

    /// <summary>Name, description and parameter count of every network.</summary>
    public static IReadOnlyList<NetworkInfo> Networks { get; } = Entries.Select(e => e.Info).ToArray();

    /// <summary>Name, description and parameter count of one network.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static NetworkInfo Describe(string name) => Find(name).Info;

    /// <summary>
    /// A new network with TorchSharp's default initialisation drawn after <c>torch.manual_seed(seed)</c>,
    /// so the same name and seed give the same weights. It is in training mode; the caller owns (and
    /// disposes) it.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, int seed = 0)
    {
        var entry = Find(name);
        TorchNativeFix.Apply(); // before the first native call, see TorchNativeFix
        return Build(entry, seed);
    }

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Info.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown network '{name}'. Known networks: {string.Join(", ", Names)}.", nameof(name));

    // Kept out of line so the JIT resolves TorchSharp's natives only after the fix has run.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Sequential Build(Entry entry, int seed)
    {
        lock (SeedGate)
        {
            torch.manual_seed(seed);
            return entry.Build();
        }
    }
}
