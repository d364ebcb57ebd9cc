using Talk.Kit.Training.Native;

namespace Talk.Kit.Tests.Export;

/// <summary>
/// TorchSharp tests share one collection: they run one after another (torch.manual_seed is process-wide, and
/// 2 cores are better used by libtorch's own threads), after the kit's native fix has run.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<TorchFixture>
{
    public const string Name = "TorchSharp";
}

/// <summary>Makes libLibTorchSharp.so loadable, and takes the conv route the numerics probe found right, before any test touches TorchSharp.</summary>
public sealed class TorchFixture
{
    public TorchFixture()
    {
        var report = TorchNativeFix.Apply();
        if (!report.Succeeded)
            throw new InvalidOperationException(report.ToString());
        ConvNumerics.Ensure();
    }
}
