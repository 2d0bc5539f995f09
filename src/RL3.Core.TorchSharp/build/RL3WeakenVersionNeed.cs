// Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK), in a copy of the library in a
// build output, so that the dynamic loader accepts a system library that does not define that version.
//
// Why: libLibTorchSharp.so of TorchSharp 0.107.0 (x86-64 Linux) was linked against the libstdc++ of GCC 13 and lists
// GLIBCXX_3.4.32 among its version needs. The only symbol bound to that version is std::ios_base_library_init()
// (_ZSt21ios_base_library_initv), which GCC 13's <iostream> references through an assembler directive only, to pull
// in a newer libstdc++: the library has no relocation against it and never calls it. Debian 12 ships libstdc++ up to
// GLIBCXX_3.4.30, so dlopen fails with "version `GLIBCXX_3.4.32' not found". A weak version need is checked by the
// loader but not required (glibc _dl_check_map_versions), so the patched copy loads; where the version exists
// (Debian 13, Ubuntu 24.04, any GCC 13+ runtime) nothing is patched.
//
// Safety: the patch changes two bytes (vna_flags of one Vernaux entry), only when every dynamic symbol bound to that
// version is in AllowedSymbols; it writes a new file and moves it over the old one, so a hard link into the NuGet cache
// is broken rather than written through. The code compiles in two places: RL3.Core.TorchSharp.targets builds the
// MSBuild task from this file (RoslynCodeTaskFactory), and the tests compile the ElfVersionNeeds class with
// RL3_ELF_PATCH_CORE_ONLY defined.
//
// ELF references: System V gABI (ELF64 header, section headers) and the LSB "Symbol Versioning" chapter
// (SHT_GNU_verneed = 0x6ffffffe, SHT_GNU_verdef = 0x6ffffffd, SHT_GNU_versym = 0x6fffffff, VER_FLG_WEAK = 0x2).
#nullable enable
#if !RL3_ELF_PATCH_CORE_ONLY
// (The tests compile this file with implicit usings, which already bring these three.)
using System;
using System.Collections.Generic;
using System.IO;
#endif
using System.Text;

#if !RL3_ELF_PATCH_CORE_ONLY
/// <summary>
/// MSBuild task: for each library in <see cref="Libraries"/> that exists, when the system's <see cref="ProviderName"/>
/// (found in <see cref="SearchDirectories"/>) lacks <see cref="VersionName"/>, marks that version need weak.
/// </summary>
public sealed class RL3WeakenVersionNeed : Microsoft.Build.Utilities.Task
{
    /// <summary>The library files to patch (those that do not exist are skipped).</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    /// <summary>The file name of the needed library, for example libstdc++.so.6.</summary>
    [Microsoft.Build.Framework.Required]
    public string ProviderName { get; set; } = string.Empty;

    /// <summary>The version to weaken, for example GLIBCXX_3.4.32.</summary>
    [Microsoft.Build.Framework.Required]
    public string VersionName { get; set; } = string.Empty;

    /// <summary>Semicolon-separated symbols that may be bound to the version; any other symbol refuses the patch.</summary>
    [Microsoft.Build.Framework.Required]
    public string AllowedSymbols { get; set; } = string.Empty;

    /// <summary>Semicolon-separated directories searched, in order, for the system's provider library.</summary>
    public string SearchDirectories { get; set; } = string.Empty;

    /// <summary>auto (default): patch only when the provider lacks the version; true: always; false: never.</summary>
    public string Mode { get; set; } = "auto";

    /// <inheritdoc/>
    public override bool Execute()
    {
        string mode = (Mode ?? "auto").Trim().ToLowerInvariant();
        if (mode == "false")
        {
            return true;
        }

        if (mode != "auto" && mode != "true")
        {
            Log.LogError("RL3TorchSharpWeakenGlibcxx must be auto, true or false; got '{0}'.", Mode);
            return false;
        }

        if (mode == "auto")
        {
            string? provider = ElfVersionNeeds.FindLibrary(ProviderName, SearchDirectories.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries));
            if (provider == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "RL3: no system {0} found; nothing to patch.", ProviderName);
                return true;
            }

            if (ElfVersionNeeds.DefinesVersion(File.ReadAllBytes(provider), VersionName))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "RL3: {0} defines {1}; nothing to patch.", provider, VersionName);
                return true;
            }
        }

        var allowed = new HashSet<string>(AllowedSymbols.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        foreach (var item in Libraries)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var result = ElfVersionNeeds.WeakenFile(path, ProviderName, VersionName, allowed);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "RL3: {0}: {1} of {2} {3}.", path, VersionName, ProviderName, Describe(result));
            }
            catch (InvalidDataException e)
            {
                Log.LogWarning("RL3: {0} was not patched: {1}", path, e.Message);
            }
        }

        return !Log.HasLoggedErrors;
    }

    private static string Describe(WeakenResult result) => result switch
    {
        WeakenResult.Weakened => "marked weak (the system library lacks it)",
        WeakenResult.AlreadyWeak => "already weak",
        _ => "not needed",
    };
}
#endif

/// <summary>The outcome of <see cref="ElfVersionNeeds.Weaken"/>.</summary>
internal enum WeakenResult
{
    /// <summary>The library does not need the version from that provider.</summary>
    NotNeeded,

    /// <summary>The version need was already weak.</summary>
    AlreadyWeak,

    /// <summary>The version need is now weak.</summary>
    Weakened,
}

/// <summary>Reads and patches the symbol-versioning sections of 64-bit little-endian ELF files.</summary>
internal static class ElfVersionNeeds
{
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>The first existing <paramref name="fileName"/> in <paramref name="directories"/>, or null.</summary>
    public static string? FindLibrary(string fileName, IEnumerable<string> directories)
    {
        foreach (string d in directories)
        {
            string p = Path.Combine(d.Trim(), fileName);
            if (File.Exists(p))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Whether the ELF image defines symbol version <paramref name="version"/> (its .gnu.version_d lists it).</summary>
    public static bool DefinesVersion(byte[] elf, string version)
    {
        var image = new Image(elf);
        foreach (var section in image.Sections)
        {
            if (section.Type != ShtGnuVerdef)
            {
                continue;
            }

            var strings = image.Sections[(int)section.Link];
            long at = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                uint aux = image.U32(at + 12);
                uint next = image.U32(at + 16);
                if (image.U16(at + 6) > 0 && image.String(strings, image.U32(at + aux)) == version)
                {
                    return true;
                }

                if (next == 0)
                {
                    break;
                }

                at += next;
            }
        }

        return false;
    }

    /// <summary>The flags of the version need (<paramref name="provider"/>, <paramref name="version"/>), or null when there is none.</summary>
    public static ushort? GetNeedFlags(byte[] elf, string provider, string version)
    {
        var image = new Image(elf);
        long at = FindNeed(image, provider, version, out _);
        return at < 0 ? null : image.U16(at + 4);
    }

    /// <summary>The dynamic symbols bound to the version need (<paramref name="provider"/>, <paramref name="version"/>).</summary>
    public static IReadOnlyList<string> SymbolsBoundTo(byte[] elf, string provider, string version)
    {
        var image = new Image(elf);
        long at = FindNeed(image, provider, version, out _);
        return at < 0 ? Array.Empty<string>() : BoundSymbols(image, image.U16(at + 6));
    }

    /// <summary>
    /// Marks the version need (<paramref name="provider"/>, <paramref name="version"/>) weak in <paramref name="elf"/>
    /// (in memory), provided every dynamic symbol bound to it is in <paramref name="allowedSymbols"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file, a malformed section, or a symbol outside <paramref name="allowedSymbols"/> needs the version.</exception>
    public static WeakenResult Weaken(byte[] elf, string provider, string version, ISet<string> allowedSymbols)
    {
        var image = new Image(elf);
        long at = FindNeed(image, provider, version, out _);
        if (at < 0)
        {
            return WeakenResult.NotNeeded;
        }

        ushort flags = image.U16(at + 4);
        if ((flags & VerFlagWeak) != 0)
        {
            return WeakenResult.AlreadyWeak;
        }

        foreach (string symbol in BoundSymbols(image, image.U16(at + 6)))
        {
            if (!allowedSymbols.Contains(symbol))
            {
                throw new InvalidDataException($"symbol '{symbol}' needs {version} of {provider}, so the requirement cannot be made weak.");
            }
        }

        flags |= VerFlagWeak;
        elf[at + 4] = (byte)flags;
        elf[at + 5] = (byte)(flags >> 8);
        return WeakenResult.Weakened;
    }

    /// <summary>
    /// <see cref="Weaken"/> on a file: when it changes something, writes the result to a new file beside it and moves that
    /// over <paramref name="path"/> (a hard link to another copy is replaced, never written through).
    /// </summary>
    public static WeakenResult WeakenFile(string path, string provider, string version, ISet<string> allowedSymbols)
    {
        byte[] elf = File.ReadAllBytes(path);
        var result = Weaken(elf, provider, version, allowedSymbols);
        if (result == WeakenResult.Weakened)
        {
            string temporary = path + ".rl3-weak.tmp";
            File.WriteAllBytes(temporary, elf);
            File.Delete(path);
            File.Move(temporary, path);
        }

        return result;
    }

    // Offset of the Vernaux entry (vna_hash, vna_flags, vna_other, vna_name, vna_next) or -1.
    private static long FindNeed(Image image, string provider, string version, out int vernauxIndex)
    {
        vernauxIndex = -1;
        foreach (var section in image.Sections)
        {
            if (section.Type != ShtGnuVerneed)
            {
                continue;
            }

            var strings = image.Sections[(int)section.Link];
            long need = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                ushort count = image.U16(need + 2);
                string file = image.String(strings, image.U32(need + 4));
                long aux = need + image.U32(need + 8);
                for (int j = 0; j < count; j++)
                {
                    if (file == provider && image.String(strings, image.U32(aux + 8)) == version)
                    {
                        vernauxIndex = j;
                        return aux;
                    }

                    uint nextAux = image.U32(aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                uint next = image.U32(need + 12);
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        return -1;
    }

    // Names of the dynamic symbols whose .gnu.version entry (low 15 bits) is versionIndex.
    private static List<string> BoundSymbols(Image image, ushort versionIndex)
    {
        var names = new List<string>();
        Section? dynsym = null, versym = null;
        foreach (var s in image.Sections)
        {
            if (s.Type == ShtDynsym)
            {
                dynsym = s;
            }
            else if (s.Type == ShtGnuVersym)
            {
                versym = s;
            }
        }

        if (dynsym == null || versym == null)
        {
            return names;
        }

        var strings = image.Sections[(int)dynsym.Link];
        long count = dynsym.Size / 24;
        for (long i = 0; i < count; i++)
        {
            if ((image.U16(versym.Offset + (2 * i)) & 0x7fff) == versionIndex)
            {
                names.Add(image.String(strings, image.U32(dynsym.Offset + (24 * i))));
            }
        }

        return names;
    }

    private sealed class Section
    {
        public uint Type;
        public long Offset;
        public long Size;
        public uint Link;
        public uint Info;
    }

    private sealed class Image
    {
        private readonly byte[] _data;

        public Image(byte[] data)
        {
            _data = data;
            if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            {
                throw new InvalidDataException("not an ELF file.");
            }

            if (data[4] != 2 || data[5] != 1)
            {
                throw new InvalidDataException("not a 64-bit little-endian ELF file.");
            }

            long shoff = (long)U64(0x28);
            int shentsize = U16(0x3A);
            int shnum = U16(0x3C);
            if (shentsize < 64 || shoff < 0 || shoff + ((long)shnum * shentsize) > data.Length)
            {
                throw new InvalidDataException("the section header table lies outside the file.");
            }

            Sections = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + ((long)i * shentsize);
                var s = new Section
                {
                    Type = U32(h + 4),
                    Offset = (long)U64(h + 24),
                    Size = (long)U64(h + 32),
                    Link = U32(h + 40),
                    Info = U32(h + 44),
                };
                if (s.Type != 8 && (s.Offset < 0 || s.Size < 0 || s.Offset + s.Size > data.Length))
                {
                    throw new InvalidDataException($"section {i} lies outside the file.");
                }

                if (s.Link >= shnum && (s.Type == ShtGnuVerneed || s.Type == ShtGnuVerdef || s.Type == ShtDynsym))
                {
                    throw new InvalidDataException($"section {i} links to a section that does not exist.");
                }

                Sections[i] = s;
            }
        }

        public Section[] Sections { get; }

        public ushort U16(long at)
        {
            Check(at, 2);
            return (ushort)(_data[at] | (_data[at + 1] << 8));
        }

        public uint U32(long at)
        {
            Check(at, 4);
            return (uint)(_data[at] | (_data[at + 1] << 8) | (_data[at + 2] << 16) | (_data[at + 3] << 24));
        }

        public ulong U64(long at) => U32(at) | ((ulong)U32(at + 4) << 32);

        public string String(Section table, uint offset)
        {
            long start = table.Offset + offset;
            long end = start;
            long limit = table.Offset + table.Size;
            while (end < limit && _data[end] != 0)
            {
                end++;
            }

            if (start >= limit || end >= limit)
            {
                throw new InvalidDataException("a string lies outside its string table.");
            }

            return Encoding.ASCII.GetString(_data, (int)start, (int)(end - start));
        }

        private void Check(long at, int size)
        {
            if (at < 0 || at + size > _data.Length)
            {
                throw new InvalidDataException($"offset {at} lies outside the file.");
            }
        }
    }
}
