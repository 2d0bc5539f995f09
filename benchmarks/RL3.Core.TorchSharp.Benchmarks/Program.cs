using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace RL3.Core.TorchSharp.Benchmarks;

/// <summary>
/// Entry point. One run of all three classes (the in-house engine is each class's baseline), 1 thread on both sides:
/// <c>DOTNET_PROCESSOR_COUNT=1 DOTNET_TieredCompilation=0 dotnet run -c Release --project benchmarks/RL3.Core.TorchSharp.Benchmarks -- --filter '*'</c>.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    public static int Main(string[] args)
    {
#if DEBUG
        Console.Error.WriteLine("Warning: benchmarks built in Debug; use -c Release for meaningful numbers.");
#endif
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default));
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
