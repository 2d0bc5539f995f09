using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RL3.Core.Nn;

namespace RL3.Core.Benchmarks.Nn;

/// <summary>
/// Single-thread GEMM throughput per <em>CPU-second of the calling thread</em> (Linux
/// <c>CLOCK_THREAD_CPUTIME_ID</c>), next to wall-clock throughput and the FMA peak measured the same way.
/// On a shared, oversubscribed machine wall-clock numbers mostly measure the other tenants; thread CPU time
/// counts only the time this thread actually ran, which approximates an idle core.
/// Run: <c>dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- gemm-cputime [repeats]</c>.
/// </summary>
public static partial class GemmCpuTimeProbe
{
    private const int ClockThreadCpuTimeId = 3;

    public static int Run(string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("gemm-cputime needs Linux (CLOCK_THREAD_CPUTIME_ID).");
            return 1;
        }

        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
        Thread.CurrentThread.Priority = ThreadPriority.Highest;
        Console.WriteLine($"kernel {Gemm.BestKernel}, {Environment.ProcessorCount} logical CPUs, {repeats} repeats, medians");
        Console.WriteLine("| case | GFLOP/s per thread-CPU-second | GFLOP/s wall clock | % of FMA peak (CPU time) |");
        Console.WriteLine("|---|---|---|---|");
        float sink = 0;
        var (peakCpu, peakWall) = Measure(repeats, 2e9, () => sink += FmaPeak(2e9));
        Console.WriteLine($"| FMA peak (12 chains, {(Avx512F.IsSupported ? 512 : 256)}-bit) | {peakCpu:F1} | {peakWall:F1} | 100 % |");
        (int M, int N, int K, MatrixOp A, MatrixOp B)[] cases =
        [
            (1, 256, 256, MatrixOp.None, MatrixOp.None),
            (4, 256, 256, MatrixOp.None, MatrixOp.None),
            (64, 256, 64, MatrixOp.None, MatrixOp.None),
            (64, 768, 64, MatrixOp.None, MatrixOp.None),
            (64, 768, 256, MatrixOp.None, MatrixOp.None),
            (256, 768, 64, MatrixOp.None, MatrixOp.None),
            (256, 768, 256, MatrixOp.None, MatrixOp.None),
            (256, 192, 64, MatrixOp.None, MatrixOp.None),
            (256, 64, 64, MatrixOp.None, MatrixOp.None),
            (256, 256, 64, MatrixOp.None, MatrixOp.None),
            (256, 64, 256, MatrixOp.None, MatrixOp.None),
            (256, 256, 256, MatrixOp.None, MatrixOp.None),
            (256, 256, 256, MatrixOp.Transpose, MatrixOp.None),
            (256, 256, 256, MatrixOp.None, MatrixOp.Transpose),
            (1024, 1024, 1024, MatrixOp.None, MatrixOp.None),
            (1024, 1024, 1024, MatrixOp.Transpose, MatrixOp.None),
            (1024, 1024, 1024, MatrixOp.None, MatrixOp.Transpose),
        ];
        foreach (var (m, n, k, opA, opB) in cases)
        {
            var a = Fill(m * k);
            var b = Fill(k * n);
            var c = new float[m * n];
            double flops = 2.0 * m * n * k;
            int calls = Math.Max(1, (int)(4e8 / flops));
            var (cpu, wall) = Measure(repeats, flops * calls, () =>
            {
                for (int i = 0; i < calls; i++)
                {
                    Gemm.Multiply(opA, opB, m, n, k, 1f, a, opA == MatrixOp.None ? k : m, b, opB == MatrixOp.None ? n : k, 0f, c, n, 1, GemmKernelKind.Auto);
                }
            });
            string name = $"{m}x{n}x{k} {(opA == MatrixOp.None ? 'N' : 'T')}{(opB == MatrixOp.None ? 'N' : 'T')}, 1 thread";
            Console.WriteLine($"| {name} | {cpu:F1} | {wall:F1} | {100 * cpu / peakCpu:F0} % |");
        }

        Console.WriteLine($"(checksum {sink})");
        return 0;
    }

    private static float[] Fill(int n)
    {
        var rng = new RL3.Core.Randomness.RandomSource(7);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextSingle() - 0.5f;
        }

        return x;
    }

    private static (double Cpu, double Wall) Measure(int repeats, double flops, Action action)
    {
        action();
        var cpu = new List<double>();
        var wall = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            double t0 = ThreadCpuSeconds();
            long w0 = Stopwatch.GetTimestamp();
            action();
            double t1 = ThreadCpuSeconds();
            double w = Stopwatch.GetElapsedTime(w0).TotalSeconds;
            cpu.Add(flops / (t1 - t0) / 1e9);
            wall.Add(flops / w / 1e9);
        }

        cpu.Sort();
        wall.Sort();
        return (cpu[cpu.Count / 2], wall[wall.Count / 2]);
    }

    private static float FmaPeak(double flops)
    {
        if (Avx512F.IsSupported)
        {
            var a = Vector512.Create(1.0000001f);
            var b = Vector512.Create(0.9999999f);
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
            for (long i = (long)(flops / (12 * 32)); i > 0; i--)
            {
                c0 = Avx512F.FusedMultiplyAdd(a, c0, b); c1 = Avx512F.FusedMultiplyAdd(a, c1, b); c2 = Avx512F.FusedMultiplyAdd(a, c2, b); c3 = Avx512F.FusedMultiplyAdd(a, c3, b);
                c4 = Avx512F.FusedMultiplyAdd(a, c4, b); c5 = Avx512F.FusedMultiplyAdd(a, c5, b); c6 = Avx512F.FusedMultiplyAdd(a, c6, b); c7 = Avx512F.FusedMultiplyAdd(a, c7, b);
                c8 = Avx512F.FusedMultiplyAdd(a, c8, b); c9 = Avx512F.FusedMultiplyAdd(a, c9, b); c10 = Avx512F.FusedMultiplyAdd(a, c10, b); c11 = Avx512F.FusedMultiplyAdd(a, c11, b);
            }

            return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).ToScalar();
        }
        else
        {
            var a = Vector256.Create(1.0000001f);
            var b = Vector256.Create(0.9999999f);
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
            for (long i = (long)(flops / (12 * 16)); i > 0; i--)
            {
                c0 = Fma.MultiplyAdd(a, c0, b); c1 = Fma.MultiplyAdd(a, c1, b); c2 = Fma.MultiplyAdd(a, c2, b); c3 = Fma.MultiplyAdd(a, c3, b);
                c4 = Fma.MultiplyAdd(a, c4, b); c5 = Fma.MultiplyAdd(a, c5, b); c6 = Fma.MultiplyAdd(a, c6, b); c7 = Fma.MultiplyAdd(a, c7, b);
                c8 = Fma.MultiplyAdd(a, c8, b); c9 = Fma.MultiplyAdd(a, c9, b); c10 = Fma.MultiplyAdd(a, c10, b); c11 = Fma.MultiplyAdd(a, c11, b);
            }

            return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).ToScalar();
        }
    }

    private static double ThreadCpuSeconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime failed");
        }

        return ts.Seconds + (ts.Nanoseconds * 1e-9);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec ts);
}
