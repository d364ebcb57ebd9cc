using System.Buffers.Binary;
using System.Text;

namespace Talk.Kit.Training.Native;

/// <summary>
/// One version an ELF file needs from one of its dependencies: an Elf64_Vernaux entry of the
/// <c>.gnu.version_r</c> section, together with the file name of its parent Elf64_Verneed entry.
/// </summary>
/// <param name="File">The dependency, e.g. <c>libstdc++.so.6</c> (vn_file).</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c> (vna_name).</param>
/// <param name="Flags">vna_flags: 0, or <see cref="ElfVersionNeeds.VerFlagWeak"/>.</param>
/// <param name="Index">vna_other: the index that <c>.gnu.version</c> uses for symbols bound to this version.</param>
public sealed record ElfVersionNeed(string File, string Version, ushort Flags, ushort Index)
{
    /// <summary>True if the loader may start the program even when the dependency lacks this version.</summary>
    public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
}

/// <summary>
/// One version an ELF file defines: an Elf64_Verdef entry of the <c>.gnu.version_d</c> section.
/// </summary>
/// <param name="Name">The version name, e.g. <c>GLIBCXX_3.4.30</c> (the first Verdaux's vda_name).</param>
/// <param name="Flags">vd_flags; <see cref="ElfVersionNeeds.VerFlagBase"/> marks the file's own name, not a version.</param>
/// <param name="Index">vd_ndx.</param>
/// <param name="Parents">The names of the following Verdaux entries (the versions this one inherits from).</param>
public sealed record ElfVersionDefinition(string Name, ushort Flags, ushort Index, IReadOnlyList<string> Parents)
{
    /// <summary>True for the entry that names the file itself (its soname) rather than a version.</summary>
    public bool IsBase => (Flags & ElfVersionNeeds.VerFlagBase) != 0;
}

/// <summary>
/// An undefined dynamic symbol bound to a needed version, with the number of dynamic relocations that
/// refer to it. A symbol that no relocation refers to is never looked up by the loader.
/// </summary>
public sealed record ElfVersionedImport(string Symbol, string Version, string File, int Relocations);

/// <summary>
/// Reads and patches the GNU symbol-versioning sections of ELF64 little-endian files (x86-64, AArch64).
/// Pure functions on bytes: nothing here touches the file system.
/// </summary>
/// <remarks>
/// Why this exists: TorchSharp's <c>libLibTorchSharp.so</c> is linked against GCC 13's libstdc++ and so
/// records a need for <c>GLIBCXX_3.4.32</c>. Older systems (Debian 12: up to 3.4.30) refuse to load it,
/// although the only symbol behind that version, <c>std::ios_base_library_init()</c>, is a link-time
/// marker that is never called. Setting VER_FLG_WEAK on that one need makes glibc's loader accept the
/// missing version (it only prints a note with LD_DEBUG). See <see cref="TorchNativeFix"/>.
///
/// Structures (System V gABI "Object Files" chapter for the header and section table; the GNU symbol
/// versioning extension, as documented in the LSB Core specification, for the version sections):
/// <list type="bullet">
/// <item>Elf64_Ehdr (64 bytes): e_ident[16], e_type, e_machine, e_version, e_entry, e_phoff, e_shoff@40,
/// e_flags, e_ehsize, e_phentsize, e_phnum, e_shentsize@58, e_shnum@60, e_shstrndx.</item>
/// <item>Elf64_Shdr (64 bytes): sh_name, sh_type@4, sh_flags, sh_addr, sh_offset@24, sh_size@32,
/// sh_link@40, sh_info@44, sh_addralign, sh_entsize@56.</item>
/// <item>Elf64_Verneed (16 bytes): u16 vn_version, u16 vn_cnt, u32 vn_file, u32 vn_aux, u32 vn_next.</item>
/// <item>Elf64_Vernaux (16 bytes): u32 vna_hash, u16 vna_flags, u16 vna_other, u32 vna_name, u32 vna_next.</item>
/// <item>Elf64_Verdef (20 bytes): u16 vd_version, u16 vd_flags, u16 vd_ndx, u16 vd_cnt, u32 vd_hash,
/// u32 vd_aux, u32 vd_next; Elf64_Verdaux (8 bytes): u32 vda_name, u32 vda_next.</item>
/// <item>Elf64_Sym (24 bytes): u32 st_name, u8 st_info, u8 st_other, u16 st_shndx, u64 st_value, u64 st_size.</item>
/// <item>Elf64_Rel (16 bytes) / Elf64_Rela (24 bytes): u64 r_offset, u64 r_info (symbol = r_info &gt;&gt; 32)[, i64 r_addend].</item>
/// </list>
/// The "next"/"aux" fields are byte offsets relative to the entry that holds them; names are byte
/// offsets into the string table named by the section's sh_link.
/// </remarks>
public static class ElfVersionNeeds
{
    /// <summary>VER_FLG_BASE: a Verdef entry that names the file itself.</summary>
    public const ushort VerFlagBase = 0x1;

    /// <summary>VER_FLG_WEAK: a needed version whose absence the loader tolerates.</summary>
    public const ushort VerFlagWeak = 0x2;

    // Section types (gABI sh_type values; the three GNU ones live in the OS-specific range).
    private const uint ShtStrtab = 3;
    private const uint ShtRela = 4;
    private const uint ShtDynsym = 11;
    private const uint ShtRel = 9;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;

    private const int EhdrSize = 64;
    private const int ShdrSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;
    private const int VerdefSize = 20;
    private const int VerdauxSize = 8;
    private const int SymSize = 24;
    private const int RelSize = 16;
    private const int RelaSize = 24;

    /// <summary>Lists every version the file needs, in file order (.gnu.version_r).</summary>
    /// <exception cref="InvalidDataException">Not an ELF64 little-endian file, or a structure lies outside the bytes.</exception>
    public static IReadOnlyList<ElfVersionNeed> ListNeeds(ReadOnlySpan<byte> elf)
    {
        var sections = ReadSections(elf);
        return ReadNeeds(elf, sections).Select(n => n.Need).ToList();
    }

    /// <summary>Lists every version the file defines, in file order (.gnu.version_d), including the base entry.</summary>
    /// <exception cref="InvalidDataException">Not an ELF64 little-endian file, or a structure lies outside the bytes.</exception>
    public static IReadOnlyList<ElfVersionDefinition> ListDefinitions(ReadOnlySpan<byte> elf)
    {
        var sections = ReadSections(elf);
        var result = new List<ElfVersionDefinition>();
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerdef)
                continue;
            var strtab = LinkedStringTable(elf, sections, section);
            var body = Slice(elf, section.Offset, section.Size, "the .gnu.version_d section");
            long pos = 0;
            while (true)
            {
                var entry = Slice(body, pos, VerdefSize, "an Elf64_Verdef entry");
                var vdVersion = BinaryPrimitives.ReadUInt16LittleEndian(entry);
                if (vdVersion != 1)
                    throw new InvalidDataException($"Unsupported Elf64_Verdef version {vdVersion} (expected 1, VER_DEF_CURRENT).");
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
                var index = BinaryPrimitives.ReadUInt16LittleEndian(entry[4..]);
                var count = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]);
                var aux = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
                var next = BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]);

                var names = new List<string>(count);
                long auxPos = pos + aux;
                for (var i = 0; i < count; i++)
                {
                    var verdaux = Slice(body, auxPos, VerdauxSize, "an Elf64_Verdaux entry");
                    names.Add(ReadString(strtab, BinaryPrimitives.ReadUInt32LittleEndian(verdaux)));
                    var auxNext = BinaryPrimitives.ReadUInt32LittleEndian(verdaux[4..]);
                    if (auxNext == 0)
                        break;
                    auxPos += auxNext;
                }
                if (names.Count == 0)
                    throw new InvalidDataException("An Elf64_Verdef entry has no Elf64_Verdaux entry, so it has no name.");
                result.Add(new ElfVersionDefinition(names[0], flags, index, names.Skip(1).ToList()));

                // Every step moves forward by a non-zero amount and is bounds-checked, so this ends.
                if (next == 0)
                    break;
                pos += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Lists the undefined dynamic symbols that are bound to a needed version (.dynsym + .gnu.version),
    /// with how many dynamic relocations (.rela.dyn, .rela.plt, ...) refer to each.
    /// </summary>
    /// <exception cref="InvalidDataException">Not an ELF64 little-endian file, or a structure lies outside the bytes.</exception>
    public static IReadOnlyList<ElfVersionedImport> ListImports(ReadOnlySpan<byte> elf)
    {
        var sections = ReadSections(elf);
        var result = new List<ElfVersionedImport>();
        var dynsymIndex = Array.FindIndex(sections, s => s.Type == ShtDynsym);
        if (dynsymIndex < 0)
            return result;
        var dynsym = sections[dynsymIndex];
        var versymIndex = Array.FindIndex(sections, s => s.Type == ShtGnuVersym && s.Link == dynsymIndex);
        if (versymIndex < 0)
            return result; // No symbol versioning: nothing is bound to a version.

        var symbols = Slice(elf, dynsym.Offset, dynsym.Size, "the .dynsym section");
        var symbolCount = symbols.Length / SymSize;
        var versym = Slice(elf, sections[versymIndex].Offset, sections[versymIndex].Size, "the .gnu.version section");
        if (versym.Length < symbolCount * 2L)
            throw new InvalidDataException($"The .gnu.version section has {versym.Length / 2} entries but .dynsym has {symbolCount} symbols.");
        var names = LinkedStringTable(elf, sections, dynsym);

        // .gnu.version holds one u16 per dynamic symbol; a Vernaux's vna_other is the value it uses.
        var needsByIndex = new Dictionary<ushort, ElfVersionNeed>();
        foreach (var (need, _) in ReadNeeds(elf, sections))
            needsByIndex[need.Index] = need;

        // Count the relocations per symbol, in every REL/RELA section that refers to .dynsym.
        var relocations = new int[symbolCount];
        foreach (var section in sections)
        {
            if ((section.Type != ShtRela && section.Type != ShtRel) || section.Link != dynsymIndex)
                continue;
            var entrySize = section.Type == ShtRela ? RelaSize : RelSize;
            var body = Slice(elf, section.Offset, section.Size, "a relocation section");
            for (var pos = 0; pos + entrySize <= body.Length; pos += entrySize)
            {
                var symbol = BinaryPrimitives.ReadUInt64LittleEndian(body[(pos + 8)..]) >> 32; // ELF64_R_SYM(r_info)
                if (symbol < (ulong)symbolCount)
                    relocations[symbol]++;
            }
        }

        for (var i = 1; i < symbolCount; i++) // Symbol 0 is the reserved null symbol.
        {
            var sym = symbols.Slice(i * SymSize, SymSize);
            var shndx = BinaryPrimitives.ReadUInt16LittleEndian(sym[6..]);
            if (shndx != 0) // SHN_UNDEF: only imports need a version from another file.
                continue;
            // Bit 15 of a versym entry is the "hidden" bit; the rest is the version index.
            var versionIndex = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(versym[(i * 2)..]) & 0x7fff);
            if (!needsByIndex.TryGetValue(versionIndex, out var need))
                continue;
            var name = ReadString(names, BinaryPrimitives.ReadUInt32LittleEndian(sym));
            result.Add(new ElfVersionedImport(name, need.Version, need.File, relocations[i]));
        }
        return result;
    }

    /// <summary>
    /// Returns a copy of <paramref name="elf"/> in which the needed versions named in
    /// <paramref name="versionNames"/> carry VER_FLG_WEAK. Only the two vna_flags bytes of those entries
    /// change; names the file does not need are ignored; entries that are already weak stay as they are,
    /// so applying the patch twice gives the same bytes.
    /// </summary>
    /// <param name="elf">The original file.</param>
    /// <param name="versionNames">Version names, e.g. <c>GLIBCXX_3.4.32</c>.</param>
    /// <param name="file">If given, only needs from this dependency (vn_file, e.g. <c>libstdc++.so.6</c>) change.</param>
    /// <exception cref="InvalidDataException">Not an ELF64 little-endian file, or a structure lies outside the bytes.</exception>
    public static byte[] MarkWeak(ReadOnlySpan<byte> elf, IEnumerable<string> versionNames, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(versionNames);
        var wanted = new HashSet<string>(versionNames, StringComparer.Ordinal);
        var sections = ReadSections(elf);
        var needs = ReadNeeds(elf, sections);
        var copy = elf.ToArray();
        foreach (var (need, flagsOffset) in needs)
        {
            if (!wanted.Contains(need.Version) || (file is not null && need.File != file))
                continue;
            var flags = (ushort)(need.Flags | VerFlagWeak);
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(flagsOffset, 2), flags);
        }
        return copy;
    }

    /// <summary>A row of the section header table (Elf64_Shdr), with the fields this class uses.</summary>
    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    /// <summary>Checks the ELF identification and reads the section header table.</summary>
    private static Section[] ReadSections(ReadOnlySpan<byte> elf)
    {
        // e_ident: 0x7F 'E' 'L' 'F', then EI_CLASS, EI_DATA, EI_VERSION.
        if (elf.Length < 4 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file: it does not start with the bytes 0x7F 'E' 'L' 'F'.");
        if (elf.Length < EhdrSize)
            throw new InvalidDataException($"Truncated ELF file: the ELF64 header needs {EhdrSize} bytes, the file has {elf.Length}.");
        switch (elf[4])
        {
            case 2: break; // ELFCLASS64
            case 1: throw new InvalidDataException("32-bit ELF file (ELFCLASS32): only 64-bit ELF files are supported.");
            default: throw new InvalidDataException($"Unknown ELF class {elf[4]} in e_ident[EI_CLASS].");
        }
        switch (elf[5])
        {
            case 1: break; // ELFDATA2LSB
            case 2: throw new InvalidDataException("Big-endian ELF file (ELFDATA2MSB): only little-endian ELF files are supported.");
            default: throw new InvalidDataException($"Unknown ELF data encoding {elf[5]} in e_ident[EI_DATA].");
        }
        if (elf[6] != 1)
            throw new InvalidDataException($"Unknown ELF version {elf[6]} in e_ident[EI_VERSION] (expected 1, EV_CURRENT).");

        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf[40..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[58..]);
        long shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf[60..]);
        if (shoff == 0)
            throw new InvalidDataException("The ELF file has no section header table, so its version sections cannot be found.");
        if (shentsize != ShdrSize)
            throw new InvalidDataException($"Unexpected ELF64 section header size {shentsize} (expected {ShdrSize}).");
        if (shoff > (ulong)elf.Length)
            throw new InvalidDataException($"Truncated ELF file: the section header table starts at offset {shoff}, the file has {elf.Length} bytes.");
        if (shnum == 0)
        {
            // gABI: with SHN_LORESERVE (0xff00) or more sections, e_shnum is 0 and the real count is
            // in sh_size of section header 0.
            var first = Slice(elf, (long)shoff, ShdrSize, "section header 0");
            var realCount = BinaryPrimitives.ReadUInt64LittleEndian(first[32..]);
            if (realCount > (ulong)elf.Length / ShdrSize)
                throw new InvalidDataException($"Truncated ELF file: it claims {realCount} section headers.");
            shnum = (long)realCount;
        }
        var table = Slice(elf, (long)shoff, shnum * ShdrSize, "the section header table");

        var sections = new Section[shnum];
        for (var i = 0; i < shnum; i++)
        {
            var header = table.Slice(i * ShdrSize, ShdrSize);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            var size = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            // Offsets beyond the file only matter if a section is used; keep them, Slice checks later.
            sections[i] = new Section(
                type,
                offset > long.MaxValue ? long.MaxValue : (long)offset,
                size > long.MaxValue ? long.MaxValue : (long)size,
                BinaryPrimitives.ReadUInt32LittleEndian(header[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[44..]));
        }
        return sections;
    }

    /// <summary>
    /// Walks every .gnu.version_r section: a chain of Verneed entries (one per dependency), each with a
    /// chain of Vernaux entries (one per needed version). Also returns, for each need, the absolute file
    /// offset of its vna_flags field (Vernaux + 4), which is what <see cref="MarkWeak"/> rewrites.
    /// </summary>
    private static List<(ElfVersionNeed Need, int FlagsOffset)> ReadNeeds(ReadOnlySpan<byte> elf, Section[] sections)
    {
        var result = new List<(ElfVersionNeed, int)>();
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed)
                continue;
            var strtab = LinkedStringTable(elf, sections, section);
            var body = Slice(elf, section.Offset, section.Size, "the .gnu.version_r section");
            long pos = 0;
            while (true)
            {
                var verneed = Slice(body, pos, VerneedSize, "an Elf64_Verneed entry");
                var vnVersion = BinaryPrimitives.ReadUInt16LittleEndian(verneed);
                if (vnVersion != 1)
                    throw new InvalidDataException($"Unsupported Elf64_Verneed version {vnVersion} (expected 1, VER_NEED_CURRENT).");
                var count = BinaryPrimitives.ReadUInt16LittleEndian(verneed[2..]);
                var file = ReadString(strtab, BinaryPrimitives.ReadUInt32LittleEndian(verneed[4..]));
                var aux = BinaryPrimitives.ReadUInt32LittleEndian(verneed[8..]);
                var next = BinaryPrimitives.ReadUInt32LittleEndian(verneed[12..]);

                long auxPos = pos + aux;
                for (var i = 0; i < count; i++)
                {
                    var vernaux = Slice(body, auxPos, VernauxSize, "an Elf64_Vernaux entry");
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(vernaux[4..]);
                    var other = BinaryPrimitives.ReadUInt16LittleEndian(vernaux[6..]);
                    var name = ReadString(strtab, BinaryPrimitives.ReadUInt32LittleEndian(vernaux[8..]));
                    var flagsOffset = checked((int)(section.Offset + auxPos + 4)); // Slice proved it lies inside the file.
                    result.Add((new ElfVersionNeed(file, name, flags, other), flagsOffset));
                    var auxNext = BinaryPrimitives.ReadUInt32LittleEndian(vernaux[12..]);
                    if (auxNext == 0)
                        break;
                    auxPos += auxNext;
                }

                // Every step moves forward by a non-zero amount and is bounds-checked, so this ends.
                if (next == 0)
                    break;
                pos += next;
            }
        }
        return result;
    }

    /// <summary>The string table a section names in sh_link (.dynstr for the version sections).</summary>
    private static ReadOnlySpan<byte> LinkedStringTable(ReadOnlySpan<byte> elf, Section[] sections, Section section)
    {
        if (section.Link == 0 || section.Link >= sections.Length)
            throw new InvalidDataException($"A section's sh_link ({section.Link}) does not name a section (the file has {sections.Length}).");
        var strtab = sections[section.Link];
        if (strtab.Type != ShtStrtab)
            throw new InvalidDataException($"A section's sh_link ({section.Link}) names a section of type 0x{strtab.Type:x}, not a string table.");
        return Slice(elf, strtab.Offset, strtab.Size, "a string table");
    }

    /// <summary>Reads the NUL-terminated string at <paramref name="offset"/> of a string table.</summary>
    private static string ReadString(ReadOnlySpan<byte> strtab, uint offset)
    {
        if (offset >= (uint)strtab.Length)
            throw new InvalidDataException($"A name's offset {offset} lies outside its string table ({strtab.Length} bytes).");
        var rest = strtab[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"The name at offset {offset} of a string table is not NUL-terminated.");
        return Encoding.UTF8.GetString(rest[..end]);
    }

    /// <summary>A bounds-checked slice; <paramref name="what"/> names the structure for the error message.</summary>
    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> bytes, long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > bytes.Length || length > bytes.Length - offset)
            throw new InvalidDataException(
                $"Truncated or corrupt ELF file: {what} (offset {offset}, {length} bytes) lies outside the {bytes.Length} bytes available.");
        return bytes.Slice((int)offset, (int)length);
    }
}
