using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace RL3.Core.Benchmarks.Policies;

/// <summary>
/// Jobs for the policy benchmarks: one thread (<c>DOTNET_PROCESSOR_COUNT=1</c>, so the engine's GEMM and the policies
/// stay on one core; the primary comparison with PyTorch's 1-thread numbers) and two threads. Short runs: the machine
/// is shared. Tiered compilation is off (<c>DOTNET_TieredCompilation=0</c>): a step takes long enough that a short run
/// would otherwise measure mostly tier-0 code; fully optimised code is what a long training run executes. Set <c>RL3_BENCH_THREADS=1</c> or <c>2</c> to run only one of the jobs.
/// </summary>
public sealed class PolicyBenchmarkConfig : ManualConfig
{
    public PolicyBenchmarkConfig()
    {
        string? only = Environment.GetEnvironmentVariable("RL3_BENCH_THREADS");
        foreach (int threads in new[] { 1, 2 })
        {
            if (only is not null && only != threads.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                continue;
            }

            AddJob(Job.ShortRun
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(5)
                .WithEnvironmentVariables(
                    new EnvironmentVariable("DOTNET_PROCESSOR_COUNT", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new EnvironmentVariable("DOTNET_TieredCompilation", "0"))
                .WithId(threads == 1 ? "1 thread" : "2 threads"));
        }
    }
}
