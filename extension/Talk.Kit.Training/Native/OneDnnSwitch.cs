using System.Runtime.InteropServices;

namespace Talk.Kit.Training.Native;

/// <summary>
/// libtorch's process-wide "use oneDNN (mkldnn)" flag, which TorchSharp does not expose: PyTorch's
/// <c>torch.backends.mkldnn.enabled</c>, i.e. <c>at::globalContext().setUserEnabledMkldnn(bool)</c>. libtorch_cpu.so
/// exports both functions; a C++ member function takes <c>this</c> as its first argument (Itanium C++ ABI).
/// libtorch consults the flag at every conv call, forward and backward.
/// </summary>
/// <remarks>
/// The library is found by its soname: TorchSharp has loaded it already, and dlopen matches loaded objects by soname
/// before searching the disk. Call only after TorchSharp's natives are loaded (any tensor op).
/// </remarks>
internal static partial class OneDnnSwitch
{
    private const string Library = "libtorch_cpu.so";

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(IntPtr context);

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>Whether libtorch may call oneDNN; null when the switch cannot be reached (another libtorch build).</summary>
    public static bool? Enabled
    {
        get
        {
            try { return UserEnabledMkldnn(GlobalContext()); }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return null; }
        }
    }

    /// <summary>Sets the flag; false when the switch cannot be reached.</summary>
    public static bool TrySet(bool enabled)
    {
        try
        {
            SetUserEnabledMkldnn(GlobalContext(), enabled);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
