using System.Runtime.CompilerServices;
using Talk.Kit.Training.Native;
using TorchSharp;

namespace Talk.Kit.Training;

/// <summary>Whether TorchSharp's native code runs in this process, and which versions it is.</summary>
/// <param name="TorchSharpVersion">Version of the managed TorchSharp assembly.</param>
/// <param name="LibTorchVersion">libtorch version TorchSharp was built against (its package constant).</param>
/// <param name="NativeFix">What the kit did so libLibTorchSharp.so loads on this system.</param>
/// <param name="SmokeTest">A tensor computation run in native code, with its result; null when it failed.</param>
/// <param name="Error">Why native code did not run; null when it ran.</param>
public sealed record TorchStatus(string TorchSharpVersion, string LibTorchVersion, TorchNativeFixReport NativeFix, string? SmokeTest, string? Error)
{
    /// <summary>Whether libtorch's convolutions are right on this CPU, and the route the kit takes (null when native code did not run).</summary>
    public ConvNumericsStatus? Convolutions { get; init; }

    /// <summary>True when a tensor computation ran in libtorch.</summary>
    public bool Works => Error is null;

    /// <summary>Applies the native fix if needed, then runs one tensor computation. Never throws.</summary>
    public static TorchStatus Check()
    {
        var fix = TorchNativeFix.Apply();
        string managed = TorchVersions.TorchSharp, libtorch = TorchVersions.LibTorch;
        try
        {
            string smoke = RunSmokeTest();
            return new TorchStatus(managed, libtorch, fix, smoke, null) { Convolutions = ConvNumerics.Ensure() };
        }
        catch (Exception ex)
        {
            var root = ex.InnerException ?? ex;
            return new TorchStatus(managed, libtorch, fix, null, $"{root.GetType().Name}: {root.Message}");
        }
    }

    // Kept out of line so that the JIT resolves TorchSharp's natives only when this runs, after the fix.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string RunSmokeTest()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.ones(2, 3);
        var b = torch.ones(3, 2);
        float sum = a.matmul(b).sum().item<float>(); // each of the 4 entries is 3 → 12
        return $"(ones(2,3) @ ones(3,2)).sum() = {sum:0}";
    }
}
