using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace RL3.Core.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "gemm-cputime")
        {
            return Nn.GemmCpuTimeProbe.Run(args[1..]);
        }

#if DEBUG
        Console.Error.WriteLine("Warning: benchmarks built in Debug; use -c Release for meaningful numbers.");
#endif
        if (args.Length > 0 && args[0] == "step-probe")
        {
            return Meta.StepProbe.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "shard-sizes")
        {
            return Training.ShardSizes.Run();
        }

        if (args.Length > 0 && args[0] == "policy-cputime")
        {
            return Policies.PolicyCpuTime.Run(args[1..]);
        }

        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
