using System.Diagnostics;
using System.Globalization;

namespace RL3.Core.Benchmarks.Policies;

/// <summary>
/// A CPU-time harness for the policy benchmarks, for machines too loaded for wall-clock timing: each case is warmed up
/// until two consecutive 0.2 s rounds agree within 3 % (steady state whatever the JIT tiering), then timed by the process's CPU time (<see cref="Process.TotalProcessorTime"/>) over loops of at least 0.2 s CPU,
/// 5 repeats, median (min–max) reported. Run with one core:
/// <c>DOTNET_PROCESSOR_COUNT=1 dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- policy-cputime</c>.
/// </summary>
public static class PolicyCpuTime
{
    /// <summary>Runs every case (or those whose name contains <paramref name="args"/>[0]) and prints a Markdown table.</summary>
    /// <param name="args">An optional name filter.</param>
    /// <returns>0.</returns>
    public static int Run(string[] args)
    {
        string filter = args.Length > 0 ? args[0] : string.Empty;
        Console.WriteLine($"| case | CPU time per call, median (min - max) | processors {Environment.ProcessorCount} |");
        Console.WriteLine("|---|---|---|");
        foreach (int n in new[] { 64, 256 })
        {
            foreach (int t in new[] { 64, 256, 512 })
            {
                Case($"transformer step N={n} t={t}", filter, () => new TransformerActBenchmarks { N = n, Position = t }, b => b.Setup(), b => b.KvCacheStep(), b => b.Cleanup());
            }
        }

        foreach (int n in new[] { 64, 256 })
        {
            Case($"GRU step N={n}", filter, () => new GruActBenchmarks { N = n }, b => b.Setup(), b => b.GruStep(), b => b.Cleanup());
        }

        foreach (string p in new[] { "Transformer", "Gru" })
        {
            foreach (string mb in new[] { "8x512", "64x64" })
            {
                Case($"PPO update {p} {mb}", filter, () => new PolicyTrainingBenchmarks { Policy = p, Minibatch = mb }, b => b.Setup(), b => b.Batched(), b => b.Cleanup());
            }
        }

        return 0;
    }

    private static void Case<T>(string name, string filter, Func<T> create, Action<T> setup, Action<T> body, Action<T> cleanup)
    {
        if (!name.Contains(filter, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var b = create();
        setup(b);
        var process = Process.GetCurrentProcess();
        TimeSpan Cpu()
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }

        // Warm-up: at least 40 calls and 1 s of CPU, then rounds of 0.2 s until two in a row agree within 3 % (at most
        // 20 rounds): tiered JIT, OSR and dynamic PGO may replace a method's code seconds after its first call, which
        // made the first case of a run look up to 10x slower than steady state.
        var w0 = Cpu();
        for (int i = 0; i < 40 || (Cpu() - w0).TotalSeconds < 1.0; i++)
        {
            body(b);
        }

        double previous = double.NaN;
        for (int round = 0; round < 20; round++)
        {
            var r0 = Cpu();
            int calls = 0;
            do
            {
                body(b);
                calls++;
            }
            while ((Cpu() - r0).TotalSeconds < 0.2);
            double perCall = (Cpu() - r0).TotalMilliseconds / calls;
            if (Math.Abs(perCall - previous) <= 0.03 * previous)
            {
                break;
            }

            previous = perCall;
        }

        var samples = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            var c0 = Cpu();
            int calls = 0;
            do
            {
                body(b);
                calls++;
            }
            while ((Cpu() - c0).TotalSeconds < 0.2);
            samples.Add((Cpu() - c0).TotalMilliseconds / calls);
        }

        cleanup(b);
        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {samples[2]:F3} ms ({samples[0]:F3} - {samples[4]:F3}) | |"));
    }
}
