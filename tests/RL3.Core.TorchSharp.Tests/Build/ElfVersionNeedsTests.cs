namespace RL3.Core.TorchSharp.Tests.Build;

/// <summary>The libstdc++ build step's ELF patcher (src/RL3.Core.TorchSharp/build/RL3WeakenVersionNeed.cs) on the real library.</summary>
public sealed class ElfVersionNeedsTests
{
    private const string Provider = "libstdc++.so.6";
    private const string Version = "GLIBCXX_3.4.32";
    private const string Allowed = "_ZSt21ios_base_library_initv";

    private static string PackageLibrary()
    {
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assume.That(File.Exists(path), Is.True, $"TorchSharp 0.107.0 is not restored at {path}");
        return path;
    }

    [Test]
    public void PackageLibrary_NeedsTheVersionOnlyForIosBaseLibraryInit()
    {
        var elf = File.ReadAllBytes(PackageLibrary());
        Assert.That(ElfVersionNeeds.GetNeedFlags(elf, Provider, Version), Is.EqualTo((ushort)0), "a strong need in the package");
        Assert.That(ElfVersionNeeds.SymbolsBoundTo(elf, Provider, Version), Is.EqualTo(new[] { Allowed }));
    }

    [Test]
    public void Weaken_PackageLibrary_SetsOnlyTheWeakFlagOfThatNeed()
    {
        var original = File.ReadAllBytes(PackageLibrary());
        var elf = (byte[])original.Clone();
        var result = ElfVersionNeeds.Weaken(elf, Provider, Version, new HashSet<string> { Allowed });
        Assert.That(result, Is.EqualTo(WeakenResult.Weakened));
        Assert.That(ElfVersionNeeds.GetNeedFlags(elf, Provider, Version), Is.EqualTo((ushort)2));
        int changed = 0;
        for (int i = 0; i < elf.Length; i++)
        {
            changed += elf[i] != original[i] ? 1 : 0;
        }

        Assert.That(changed, Is.EqualTo(1), "one byte (vna_flags) differs");
        Assert.That(ElfVersionNeeds.GetNeedFlags(elf, Provider, "GLIBCXX_3.4.30"), Is.EqualTo((ushort)0), "other needs stay strong");
        Assert.That(ElfVersionNeeds.Weaken(elf, Provider, Version, new HashSet<string> { Allowed }), Is.EqualTo(WeakenResult.AlreadyWeak));
    }

    [Test]
    public void Weaken_SymbolNotAllowed_RefusesAndChangesNothing()
    {
        var original = File.ReadAllBytes(PackageLibrary());
        var elf = (byte[])original.Clone();
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Weaken(elf, Provider, Version, new HashSet<string>()));
        Assert.That(e!.Message, Does.Contain(Allowed));
        Assert.That(elf, Is.EqualTo(original));
    }

    [Test]
    public void Weaken_VersionNotNeeded_ReportsNotNeeded()
    {
        var elf = File.ReadAllBytes(PackageLibrary());
        Assert.That(ElfVersionNeeds.Weaken(elf, Provider, "GLIBCXX_9.9", new HashSet<string>()), Is.EqualTo(WeakenResult.NotNeeded));
    }

    [Test]
    public void Weaken_NotAnElfFile_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Weaken(new byte[100], Provider, Version, new HashSet<string>()));
        Assert.That(e!.Message, Does.Contain("not an ELF file"));
    }

    [Test]
    public void Weaken_TruncatedFile_ThrowsInsteadOfReadingPastTheEnd()
    {
        var elf = File.ReadAllBytes(PackageLibrary());
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Weaken(elf[..4096], Provider, Version, new HashSet<string> { Allowed }));
    }

    [Test]
    public void DefinesVersion_SystemLibStdCxx_AgreesWithItsVersionTable()
    {
        string? lib = ElfVersionNeeds.FindLibrary(Provider, ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64"]);
        Assume.That(lib, Is.Not.Null, "no system libstdc++");
        var elf = File.ReadAllBytes(lib!);
        Assert.That(ElfVersionNeeds.DefinesVersion(elf, "GLIBCXX_3.4"), Is.True);
        Assert.That(ElfVersionNeeds.DefinesVersion(elf, "GLIBCXX_3.4.99"), Is.False);
    }

    [Test]
    public void OutputCopy_OnThisMachine_LoadsBecauseTheBuildStepWeakenedItWhereNeeded()
    {
        string copy = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.That(File.Exists(copy), Is.True, "the linux-x64 output holds libLibTorchSharp.so");
        string? lib = ElfVersionNeeds.FindLibrary(Provider, ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64"]);
        bool systemHasIt = lib is not null && ElfVersionNeeds.DefinesVersion(File.ReadAllBytes(lib), Version);
        ushort? flags = ElfVersionNeeds.GetNeedFlags(File.ReadAllBytes(copy), Provider, Version);
        Assert.That(flags, Is.EqualTo(systemHasIt ? (ushort)0 : (ushort)2), systemHasIt ? "left alone where libstdc++ has the version" : "weakened where it lacks it");
        var package = File.ReadAllBytes(PackageLibrary());
        Assert.That(ElfVersionNeeds.GetNeedFlags(package, Provider, Version), Is.EqualTo((ushort)0), "the NuGet cache's copy is never patched");
    }
}
