using System.IO.Compression;
using System.Reflection;
using Talk.Kit.Training.Native;

namespace Talk.Kit.Tests.Native;

/// <summary>
/// The real TorchSharp native library, as shipped. Read from the .nupkg in the NuGet folder rather than
/// from the extracted file, because <see cref="TorchNativeFix"/> may already have patched that one.
/// </summary>
internal static class TorchSharpPackage
{
    public const string Entry = "runtimes/linux-x64/native/libLibTorchSharp.so";

    private static readonly Lazy<byte[]> s_original = new(ReadOriginal);

    public static string Version
    {
        get
        {
            var assembly = typeof(TorchSharp.torch).Assembly; // Metadata only: does not load the natives.
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return (informational?.Split('+')[0] ?? assembly.GetName().Version!.ToString(3)).ToLowerInvariant();
        }
    }

    public static string Folder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(root))
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(root, "torchsharp", Version);
        }
    }

    public static string ExtractedLibrary => Path.Combine(Folder, Entry);

    /// <summary>A fresh copy of the original bytes (callers may modify it).</summary>
    public static byte[] Original() => (byte[])s_original.Value.Clone();

    private static byte[] ReadOriginal()
    {
        var nupkg = Path.Combine(Folder, $"torchsharp.{Version}.nupkg");
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.GetEntry(Entry) ?? throw new InvalidOperationException($"{nupkg} has no {Entry}.");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}

public class ElfVersionNeedsTests
{
    private const string Glibcxx3432 = "GLIBCXX_3.4.32";

    [Fact]
    public void Original_NeedsGlibcxx3432FromLibStdCxx_NotWeak()
    {
        var needs = ElfVersionNeeds.ListNeeds(TorchSharpPackage.Original());

        var need = Assert.Single(needs, n => n.Version == Glibcxx3432);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.Equal(0, need.Flags);
        Assert.False(need.IsWeak);
        // What readelf -V shows for TorchSharp 0.107.0: needs from five files, none weak.
        Assert.Equal(["ld-linux-x86-64.so.2", "libm.so.6", "libgcc_s.so.1", "libc.so.6", "libstdc++.so.6"], needs.Select(n => n.File).Distinct());
        Assert.Contains(needs, n => n.File == "libc.so.6" && n.Version == "GLIBC_2.34");
        Assert.All(needs, n => Assert.Equal(0, n.Flags));
        // Version indexes (vna_other) are distinct and above the two reserved ones (0 local, 1 global).
        Assert.Equal(needs.Count, needs.Select(n => n.Index).Distinct().Count());
        Assert.All(needs, n => Assert.True(n.Index >= 2));
    }

    [Fact]
    public void Original_OnlyIosBaseLibraryInitIsBehindGlibcxx3432_AndNothingRelocatesIt()
    {
        var imports = ElfVersionNeeds.ListImports(TorchSharpPackage.Original());

        var import = Assert.Single(imports, i => i.Version == Glibcxx3432);
        Assert.Equal("_ZSt21ios_base_library_initv", import.Symbol);
        Assert.Equal(0, import.Relocations);
        // Symbols behind the versions that are really called do have relocations.
        Assert.Contains(imports, i => i.Version == "GLIBCXX_3.4.30" && i.Relocations > 0);
    }

    [Fact]
    public void MarkWeak_SetsTheWeakFlag_AndChangesNothingElse()
    {
        var original = TorchSharpPackage.Original();
        var untouched = (byte[])original.Clone();

        var patched = ElfVersionNeeds.MarkWeak(original, [Glibcxx3432]);

        Assert.Equal(untouched, original); // Pure: the input is not modified.
        Assert.Equal(original.Length, patched.Length);
        var differences = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var at = Assert.Single(differences); // vna_flags is little-endian: only its low byte changes.
        Assert.Equal(0, original[at]);
        Assert.Equal(ElfVersionNeeds.VerFlagWeak, patched[at]);

        var before = ElfVersionNeeds.ListNeeds(original);
        var after = ElfVersionNeeds.ListNeeds(patched);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            if (before[i].Version == Glibcxx3432)
                Assert.Equal(before[i] with { Flags = ElfVersionNeeds.VerFlagWeak }, after[i]);
            else
                Assert.Equal(before[i], after[i]);
        }
        Assert.True(after.Single(n => n.Version == Glibcxx3432).IsWeak);
    }

    [Fact]
    public void MarkWeak_Twice_IsANoOp()
    {
        var once = ElfVersionNeeds.MarkWeak(TorchSharpPackage.Original(), [Glibcxx3432]);
        var twice = ElfVersionNeeds.MarkWeak(once, [Glibcxx3432]);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void MarkWeak_WithOtherFileOrUnknownVersion_ChangesNothing()
    {
        var original = TorchSharpPackage.Original();
        Assert.Equal(original, ElfVersionNeeds.MarkWeak(original, [Glibcxx3432], file: "libc.so.6"));
        Assert.Equal(original, ElfVersionNeeds.MarkWeak(original, ["GLIBCXX_9.9.99"]));
        Assert.Equal(original, ElfVersionNeeds.MarkWeak(original, []));
        Assert.NotEqual(original, ElfVersionNeeds.MarkWeak(original, [Glibcxx3432], file: "libstdc++.so.6"));
    }

    [Fact]
    public void ExtractedLibrary_IsTheOriginal_OrTheOriginalWithOnlyWeakFlagsAdded()
    {
        // TorchNativeFix may have patched the NuGet folder's copy on this machine; it may not have done more.
        var original = TorchSharpPackage.Original();
        var extracted = File.ReadAllBytes(TorchSharpPackage.ExtractedLibrary);
        var weak = ElfVersionNeeds.ListNeeds(extracted).Where(n => n.IsWeak).Select(n => n.Version).ToList();
        Assert.Equal(ElfVersionNeeds.MarkWeak(original, weak, "libstdc++.so.6"), extracted);
    }

    public static TheoryData<string, byte[], string> BadInputs()
    {
        var original = TorchSharpPackage.Original();
        var elf32 = original[..64];
        elf32[4] = 1; // EI_CLASS = ELFCLASS32
        var bigEndian = original[..64];
        bigEndian[5] = 2; // EI_DATA = ELFDATA2MSB
        var farSections = (byte[])original.Clone();
        BitConverter.TryWriteBytes(farSections.AsSpan(40, 8), (ulong)original.Length * 2); // e_shoff past the end
        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "Not an ELF file" },
            { "text", "hello, world"u8.ToArray(), "Not an ELF file" },
            { "garbage", Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 + 11)).ToArray(), "Not an ELF file" },
            { "magic only", [0x7f, (byte)'E', (byte)'L', (byte)'F'], "Truncated" },
            { "ELF32", elf32, "32-bit" },
            { "big-endian", bigEndian, "Big-endian" },
            { "header only", original[..64], "Truncated" },
            { "cut in half", original[..(original.Length / 2)], "Truncated" },
            { "section table past the end", farSections, "Truncated" },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_ThrowsInvalidDataException_WithAReadableMessage(string what, byte[] bytes, string expected)
    {
        Assert.False(string.IsNullOrEmpty(what));
        var needs = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ListNeeds(bytes));
        Assert.Contains(expected, needs.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ListDefinitions(bytes));
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ListImports(bytes));
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bytes, [Glibcxx3432]));
    }

    [Fact]
    public void CorruptVerneedChain_ThrowsInvalidDataException()
    {
        // Point the first Verneed's vn_next far outside .gnu.version_r.
        var bytes = TorchSharpPackage.Original();
        var verneedOffset = FindSectionOffset(bytes, 0x6ffffffe);
        BitConverter.TryWriteBytes(bytes.AsSpan(verneedOffset + 12, 4), 0x7fff_0000u);
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ListNeeds(bytes));
        Assert.Contains("Elf64_Verneed", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A test-side reading of the section table (independent of the code under test).</summary>
    private static int FindSectionOffset(byte[] elf, uint type)
    {
        var shoff = (int)BitConverter.ToUInt64(elf, 40);
        var shnum = BitConverter.ToUInt16(elf, 60);
        for (var i = 0; i < shnum; i++)
        {
            var header = shoff + i * 64;
            if (BitConverter.ToUInt32(elf, header + 4) == type)
                return (int)BitConverter.ToUInt64(elf, header + 24);
        }
        throw new InvalidOperationException($"no section of type 0x{type:x}");
    }
}

public class LibStdCxxTests
{
    [Fact]
    public void Locate_FindsTheLibStdCxxOfThisProcess_WhichDefinesTheBaseVersion()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var location = LibStdCxx.Locate();
        Assert.NotNull(location);
        Assert.True(File.Exists(location.Path));
        Assert.Equal("/proc/self/maps", location.FoundVia); // .NET's runtime links libstdc++, so it is mapped.

        var defined = LibStdCxx.DefinedVersions(location.Path);
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
        Assert.True(LibStdCxx.Defines("GLIBCXX_3.4"));
        Assert.False(LibStdCxx.Defines("GLIBCXX_99.0"));
        Assert.DoesNotContain(LibStdCxx.SoName, defined); // The base (soname) entry is not a version.
    }

    [Fact]
    public void Defines_AgreesWithADirectVerdefParse()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var path = LibStdCxx.Locate()!.Path;
        var definitions = ElfVersionNeeds.ListDefinitions(File.ReadAllBytes(path));
        Assert.Contains(definitions, d => d.IsBase && d.Name == LibStdCxx.SoName);
        foreach (var version in new[] { "GLIBCXX_3.4.30", "GLIBCXX_3.4.31", "GLIBCXX_3.4.32" })
            Assert.Equal(definitions.Any(d => !d.IsBase && d.Name == version), LibStdCxx.Defines(version));
        // GNU version definitions chain: each GLIBCXX_3.4.N (N > 0) names its predecessor as parent.
        var v30 = definitions.FirstOrDefault(d => d.Name == "GLIBCXX_3.4.30");
        if (v30 is not null)
            Assert.Equal(["GLIBCXX_3.4.29"], v30.Parents);
    }

    [Fact]
    public void Newest_OrdersNumerically()
    {
        Assert.Equal("GLIBCXX_3.4.32", LibStdCxx.Newest(["GLIBCXX_3.4.9", "GLIBCXX_3.4.32", "CXXABI_1.3.99", "GLIBCXX_3.4.30", "GLIBCXX_3.4"]));
        Assert.Equal("CXXABI_1.3.13", LibStdCxx.Newest(["CXXABI_1.3.9", "CXXABI_1.3.13"], "CXXABI_"));
        Assert.Null(LibStdCxx.Newest(["GLIBC_2.34"]));
    }
}

/// <summary>
/// TorchNativeFix's decision and patching, run on scratch copies as if on an old and on a new system.
/// (The real end-to-end check, loading TorchSharp before and after, needs a fresh process each.)
/// </summary>
public sealed class TorchNativeFixTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("talkkit-torchfix-");

    public void Dispose()
    {
        foreach (var info in _dir.EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            if (info is DirectoryInfo && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(info.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _dir.Delete(recursive: true);
    }

    /// <summary>Every version the library needs from libstdc++, i.e. what a new libstdc++ defines.</summary>
    private static HashSet<string> NewLibStdCxx() =>
        ElfVersionNeeds.ListNeeds(TorchSharpPackage.Original()).Where(n => n.File == LibStdCxx.SoName).Select(n => n.Version).ToHashSet();

    /// <summary>The same without GLIBCXX_3.4.31 and later, like Debian 12's GCC 12 libstdc++.</summary>
    private static HashSet<string> OldLibStdCxx()
    {
        var versions = NewLibStdCxx();
        versions.Remove("GLIBCXX_3.4.32");
        return versions;
    }

    private string Copy(string name, UnixFileMode mode)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, TorchSharpPackage.Original());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void OldLibStdCxx_PatchesAtomically_ThenReportsAlreadyPatched()
    {
        if (!OperatingSystem.IsLinux())
            return;
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var library = Copy("libLibTorchSharp.so", mode);
        var missing = Path.Combine(_dir.FullName, "nowhere", "libLibTorchSharp.so");

        var first = TorchNativeFix.Run([library, missing], "/test/libstdc++.so.6", OldLibStdCxx());

        Assert.True(first.Succeeded);
        Assert.StartsWith("patched 1 file(s): marked GLIBCXX_3.4.32 weak", first.Summary, StringComparison.Ordinal);
        Assert.Equal(["GLIBCXX_3.4.32"], first.MissingVersions);
        Assert.Equal(TorchNativeFixAction.Patched, first.Files[0].Action);
        Assert.Contains("_ZSt21ios_base_library_initv", first.Files[0].Reason, StringComparison.Ordinal);
        Assert.Equal(TorchNativeFixAction.NotFound, first.Files[1].Action);
        Assert.Equal(ElfVersionNeeds.MarkWeak(TorchSharpPackage.Original(), ["GLIBCXX_3.4.32"]), File.ReadAllBytes(library));
        Assert.Equal(mode, File.GetUnixFileMode(library));
        Assert.Equal([library], Directory.GetFiles(_dir.FullName)); // No temporary file left behind.

        var second = TorchNativeFix.Run([library, missing], "/test/libstdc++.so.6", OldLibStdCxx());
        Assert.StartsWith("already patched", second.Summary, StringComparison.Ordinal);
        Assert.Equal(TorchNativeFixAction.AlreadyPatched, second.Files[0].Action);
        Assert.Contains("already patched", second.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NewLibStdCxx_ChangesNothing()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var library = Copy("libLibTorchSharp.so", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var report = TorchNativeFix.Run([library], "/test/libstdc++.so.6", NewLibStdCxx());

        Assert.Equal("not needed (system libstdc++ has GLIBCXX_3.4.32)", report.Summary);
        Assert.Empty(report.MissingVersions);
        Assert.Equal(TorchNativeFixAction.NotNeeded, Assert.Single(report.Files).Action);
        Assert.Equal(TorchSharpPackage.Original(), File.ReadAllBytes(library));
    }

    [Fact]
    public void MissingVersionThatIsReallyUsed_IsRefused_AndTheFileIsLeftAlone()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var library = Copy("libLibTorchSharp.so", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var older = OldLibStdCxx();
        older.Remove("GLIBCXX_3.4.30"); // Like GCC 11's libstdc++: std::condition_variable::wait@GLIBCXX_3.4.30 is called.

        var report = TorchNativeFix.Run([library], "/test/libstdc++.so.6", older);

        Assert.False(report.Succeeded);
        Assert.StartsWith("FAILED", report.Summary, StringComparison.Ordinal);
        var file = Assert.Single(report.Files);
        Assert.Equal(TorchNativeFixAction.Failed, file.Action);
        Assert.Contains("GLIBCXX_3.4.30", file.Reason, StringComparison.Ordinal);
        Assert.Contains("newer libstdc++", file.Reason, StringComparison.Ordinal);
        Assert.Equal(TorchSharpPackage.Original(), File.ReadAllBytes(library));
    }

    [Fact]
    public void ReadOnlyFolder_IsReportedWithAdvice_NotThrown()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var library = Copy("libLibTorchSharp.so", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(_dir.FullName, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            File.WriteAllText(Path.Combine(_dir.FullName, "probe"), "");
            return; // Still writable: running as root, which ignores permissions; nothing to test.
        }
        catch (UnauthorizedAccessException)
        {
        }

        var report = TorchNativeFix.Run([library], "/test/libstdc++.so.6", OldLibStdCxx());

        var file = Assert.Single(report.Files);
        Assert.Equal(TorchNativeFixAction.Failed, file.Action);
        Assert.Contains("cannot write it", file.Reason, StringComparison.Ordinal);
        Assert.Contains("as the user who owns", file.Reason, StringComparison.Ordinal);
        Assert.Equal(TorchSharpPackage.Original(), File.ReadAllBytes(library));
    }

    [Fact]
    public void CandidatePaths_CoverTheNuGetPackage_AndTheConsolidatedFolder()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var candidates = TorchNativeFix.CandidatePaths();
        Assert.Contains(Path.GetFullPath(TorchSharpPackage.ExtractedLibrary), candidates);
        Assert.Contains(Path.Combine(TorchSharpPackage.Folder, "lib", "net8.0", "cpu", "libLibTorchSharp.so"), candidates);
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), candidates);
        Assert.Equal(candidates.Count, candidates.Distinct().Count());
    }
}
