using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace RL3.Core.TorchSharp;

/// <summary>
/// The process-wide side of libtorch: loading the native library (with a clear error when it cannot load) and the
/// number of intra-op threads.
/// </summary>
/// <remarks>
/// libtorch keeps one thread pool per process: <see cref="SetThreadCount"/> changes it for every torch policy and every
/// other TorchSharp user in the process. The backend changes it only when asked (<see cref="TorchSharpOptions.ThreadCount"/>).
/// Results are bit-identical for the same seed and the same thread count; different thread counts differ in the last bits.
/// </remarks>
public static partial class TorchRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Loads TorchSharp's native library and libtorch (once per process) or throws an exception that names the cause.
    /// Every torch policy calls it before its first tensor.
    /// </summary>
    /// <exception cref="TorchSharpLoadException">The native library did not load (the message names the cause and the fix).</exception>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw new TorchSharpLoadException(failure.Message, failure.InnerException);
        }
    }

    /// <summary>The number of threads libtorch uses for intra-op parallelism (process-wide).</summary>
    /// <returns>The current thread count.</returns>
    /// <exception cref="TorchSharpLoadException">The native library did not load.</exception>
    public static int GetThreadCount()
    {
        EnsureLoaded();
        return torch.get_num_threads();
    }

    /// <summary>Sets libtorch's intra-op thread count for the whole process (every torch policy and other TorchSharp code).</summary>
    /// <param name="threadCount">The number of threads, 1 to 1024.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is outside 1 to 1024.</exception>
    /// <exception cref="TorchSharpLoadException">The native library did not load.</exception>
    public static void SetThreadCount(int threadCount)
    {
        if (threadCount is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(threadCount), threadCount, "threadCount must be in [1, 1024] (libtorch's intra-op threads, process-wide).");
        }

        EnsureLoaded();
        torch.set_num_threads(threadCount);
    }

    /// <summary>Turns a native loader message into the exception the user sees (the cause, the fix, then the loader's words).</summary>
    /// <param name="loaderMessage">The message of the loader's exception.</param>
    /// <param name="inner">The loader's exception.</param>
    /// <returns>The exception to throw.</returns>
    internal static TorchSharpLoadException Explain(string loaderMessage, Exception? inner)
    {
        var glibcxx = GlibcxxNotFound().Match(loaderMessage);
        if (glibcxx.Success)
        {
            string version = glibcxx.Groups[1].Value;
            return new TorchSharpLoadException(
                $"TorchSharp's native library libLibTorchSharp.so did not load: it needs {version} of libstdc++.so.6 (the C++ runtime of GCC 13 or newer) " +
                $"and this system's libstdc++ does not have it (Debian 12 stops at GLIBCXX_3.4.30). A missing libtorch-cpu package, which TorchSharp would report, is not the cause. " +
                "Fix: build the application with RL3.Core.TorchSharp's build step, which marks that one version need weak in the output's copy of libLibTorchSharp.so " +
                "when the build machine's libstdc++ lacks it (set the MSBuild property RL3TorchSharpWeakenGlibcxx=true when the output runs on an older system than the build machine), " +
                "or run on a system with a GCC 13+ libstdc++ (Debian 13, Ubuntu 24.04). See docs/torchsharp.md. Loader message: " + loaderMessage,
                inner);
        }

        if (loaderMessage.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || loaderMessage.Contains("LibTorchSharp", StringComparison.Ordinal))
        {
            return new TorchSharpLoadException(
                "TorchSharp's native libraries were not found next to the application: RL3.Core.TorchSharp references TorchSharp only, and the application must reference " +
                "one libtorch package of version 2.10.0: libtorch-cpu-linux-x64 (CPU on Linux; set <RuntimeIdentifier>linux-x64</RuntimeIdentifier>), libtorch-cpu (CPU, all platforms), " +
                "or a libtorch-cuda-12.8 package for an NVIDIA GPU. See docs/torchsharp.md. Loader message: " + loaderMessage,
                inner);
        }

        return new TorchSharpLoadException("TorchSharp's native library did not load. See docs/torchsharp.md. Loader message: " + loaderMessage, inner);
    }

    private static Exception? TryLoad()
    {
        try
        {
            // Load LibTorchSharp ourselves first, the way TorchSharp does (relative to its assembly, through deps.json), so
            // that the loader's real message (for example a missing GLIBCXX version) reaches the user. TorchSharp's own
            // failure path would report a missing package and copy ≈500 MB of natives into the output while trying a fallback.
            NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
        }
        catch (DllNotFoundException e)
        {
            return Explain(e.Message, e);
        }
        catch (BadImageFormatException e)
        {
            return Explain(e.Message, e);
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (NotSupportedException e)
        {
            return Explain(e.Message, e);
        }
    }

    [GeneratedRegex(@"version [`'‘]?(GLIBCXX_[0-9.]+)['’]? not found")]
    private static partial Regex GlibcxxNotFound();
}
