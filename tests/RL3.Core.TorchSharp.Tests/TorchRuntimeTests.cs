using TorchSharp;

namespace RL3.Core.TorchSharp.Tests;

public sealed class TorchRuntimeTests
{
    [Test]
    public void EnsureLoaded_OnThisMachine_LoadsLibtorchAndRunsATensorOp()
    {
        TorchRuntime.EnsureLoaded();
        using var x = torch.arange(6, torch.ScalarType.Float32).reshape(2, 3);
        using var s = x.sum();
        Assert.That(s.item<float>(), Is.EqualTo(15f));
    }

    [Test]
    public void Explain_GlibcxxVersionNotFound_NamesTheRealCauseAndTheFix()
    {
        const string loader = "Unable to load shared library 'LibTorchSharp' or one of its dependencies. /app/libLibTorchSharp.so: " +
            "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/libLibTorchSharp.so)";
        var e = TorchRuntime.Explain(loader, null);
        Assert.That(e.Message, Does.Contain("GLIBCXX_3.4.32"));
        Assert.That(e.Message, Does.Contain("libstdc++"));
        Assert.That(e.Message, Does.Contain("is not the cause"));
        Assert.That(e.Message, Does.Contain("RL3TorchSharpWeakenGlibcxx"));
        Assert.That(e.Message, Does.Contain("docs/torchsharp.md"));
        Assert.That(e.Message, Does.EndWith(loader));
    }

    [Test]
    public void Explain_UnpatchedLibraryOnAnOldLibStdCxx_ReproducesTheFailureAndNamesTheCause()
    {
        // The NuGet package's own libLibTorchSharp.so, beside the output's libtorch, without the build step: on a system whose
        // libstdc++ lacks GLIBCXX_3.4.32 (Debian 12) the loader refuses it, and Explain turns that into the real cause.
        string? libStdCxx = ElfVersionNeeds.FindLibrary("libstdc++.so.6", ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64"]);
        Assume.That(libStdCxx is not null && !ElfVersionNeeds.DefinesVersion(File.ReadAllBytes(libStdCxx), "GLIBCXX_3.4.32"), Is.True,
            "this system's libstdc++ has GLIBCXX_3.4.32, so the unpatched library loads");
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string package = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assume.That(File.Exists(package), Is.True, "TorchSharp 0.107.0 is not restored");
        string dir = Directory.CreateTempSubdirectory("rl3-unpatched-").FullName;
        try
        {
            File.Copy(package, Path.Combine(dir, "libLibTorchSharp.so"));
            foreach (string dependency in new[] { "libtorch.so", "libc10.so", "libtorch_cpu.so", "libgomp-98b21ff3.so.1" })
            {
                File.CreateSymbolicLink(Path.Combine(dir, dependency), Path.Combine(AppContext.BaseDirectory, dependency));
            }

            var loader = Assert.Throws<DllNotFoundException>(() => System.Runtime.InteropServices.NativeLibrary.Load(Path.Combine(dir, "libLibTorchSharp.so")));
            Assert.That(loader!.Message, Does.Contain("GLIBCXX_3.4.32"));
            var e = TorchRuntime.Explain(loader.Message, loader);
            Assert.That(e.Message, Does.StartWith("TorchSharp's native library libLibTorchSharp.so did not load: it needs GLIBCXX_3.4.32 of libstdc++.so.6"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Explain_LibtorchMissing_NamesThePackagesToReference()
    {
        var e = TorchRuntime.Explain("Unable to load shared library 'LibTorchSharp' or one of its dependencies. libtorch_cpu.so: cannot open shared object file: No such file or directory", null);
        Assert.That(e.Message, Does.Contain("libtorch-cpu-linux-x64"));
        Assert.That(e.Message, Does.Contain("libtorch-cuda-12.8"));
    }

    [Test]
    public void SetThreadCount_OutOfRange_ThrowsNamingTheParameter()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetThreadCount(0));
        Assert.That(e!.ParamName, Is.EqualTo("threadCount"));
    }

    [TestCase("cpu")]
    [TestCase("CPU")]
    public void Resolve_Cpu_IsTheCpu(string name) =>
        Assert.That(TorchDevices.Resolve(name).type, Is.EqualTo(DeviceType.CPU));

    [TestCase("gpu")]
    [TestCase("cuda:")]
    [TestCase("cuda:-1")]
    [TestCase("cuda:x")]
    [TestCase("")]
    public void Resolve_MalformedName_ThrowsListingTheForms(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => TorchDevices.Resolve(name));
        Assert.That(e!.Message, Does.Contain("cpu, cuda or cuda:N"));
    }

    [Test]
    public void Resolve_CudaWithoutAGpu_ThrowsNamingTheDeviceAndTheFix()
    {
        Assume.That(torch.cuda.is_available(), Is.False, "this machine has a CUDA device");
        var e = Assert.Throws<ArgumentException>(() => TorchDevices.Resolve("cuda:1"));
        Assert.That(e!.Message, Does.Contain("'cuda:1' is not available"));
        Assert.That(e.Message, Does.Contain("libtorch-cuda-12.8"));
    }
}
