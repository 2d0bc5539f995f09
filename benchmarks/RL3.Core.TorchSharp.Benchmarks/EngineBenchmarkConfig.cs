using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace RL3.Core.TorchSharp.Benchmarks;

/// <summary>
/// One short job, run in the benchmark process itself (the native libtorch files sit next to this program; a generated
/// project would not carry them): launch 1, warm-up 2, 5 iterations. Threads: libtorch gets
/// <see cref="Threads"/> intra-op threads (<c>RL3_BENCH_THREADS</c>, default 1) and the in-house engine the process's
/// processor count, so start the process with <c>DOTNET_PROCESSOR_COUNT</c> set to the same number (and
/// <c>DOTNET_TieredCompilation=0</c>, as the in-house policy suite runs).
/// </summary>
public sealed class EngineBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public EngineBenchmarkConfig()
    {
        AddJob(Job.ShortRun
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithId(Threads.ToString(CultureInfo.InvariantCulture) + (Threads == 1 ? " thread" : " threads")));
    }

    /// <summary>libtorch's intra-op threads for the torch policies (<c>RL3_BENCH_THREADS</c>, default 1).</summary>
    public static int Threads =>
        int.TryParse(Environment.GetEnvironmentVariable("RL3_BENCH_THREADS"), NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t > 0 ? t : 1;

    /// <summary>The torch options of every benchmarked torch policy: the CPU and <see cref="Threads"/> threads.</summary>
    public static TorchSharpOptions TorchOptions => new() { Device = "cpu", ThreadCount = Threads };
}
