using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using RL3.Core.Nn;

namespace RL3.Core.Benchmarks.Nn;

/// <summary>
/// <c>C = A·B</c> (row-major float32, β = 0) at the brief's sizes, in GFLOP/s, against a naive triple loop.
/// Shape is "MxNxK". Run: <c>dotnet run -c Release --project benchmarks/RL3.Core.Benchmarks -- --filter '*GemmBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private int _m, _n, _k;

    /// <summary>Problem size M×N×K.</summary>
    [Params("64x256x64", "256x256x256", "1024x1024x1024")]
    public string Shape { get; set; } = "256x256x256";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        (_m, _n, _k) = (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        var rng = new RL3.Core.Randomness.RandomSource(1);
        _a = new float[_m * _k];
        _b = new float[_k * _n];
        _c = new float[_m * _n];
        for (int i = 0; i < _a.Length; i++)
        {
            _a[i] = rng.NextSingle() - 0.5f;
        }

        for (int i = 0; i < _b.Length; i++)
        {
            _b[i] = rng.NextSingle() - 0.5f;
        }
    }

    /// <summary>Naive i-p-j triple loop (scalar, cache-friendly order for row-major B).</summary>
    [Benchmark(Baseline = true)]
    public void Naive()
    {
        float[] a = _a, b = _b, c = _c;
        int m = _m, n = _n, k = _k;
        Array.Clear(c);
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                float av = a[(i * k) + p];
                int bo = p * n;
                int co = i * n;
                for (int j = 0; j < n; j++)
                {
                    c[co + j] += av * b[bo + j];
                }
            }
        }
    }

    /// <summary>Blocked GEMM on the calling thread only.</summary>
    [Benchmark]
    public void Gemm1Thread() =>
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, _m, _n, _k, 1f, _a, _k, _b, _n, 0f, _c, _n, 1, GemmKernelKind.Auto);

    /// <summary>Blocked GEMM with all cores (products under the parallel threshold stay on one thread).</summary>
    [Benchmark]
    public void GemmAllThreads() =>
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, _m, _n, _k, 1f, _a, _k, _b, _n, 0f, _c, _n, -1, GemmKernelKind.Auto);

    /// <summary>Blocked GEMM, 1 thread, <c>C = Aᵀ·B</c> (the weight-gradient pattern).</summary>
    [Benchmark]
    public void Gemm1ThreadTN() =>
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, _m, _n, _k, 1f, _a, _m, _b, _n, 0f, _c, _n, 1, GemmKernelKind.Auto);

    /// <summary>Blocked GEMM, 1 thread, <c>C = A·Bᵀ</c> (the input-gradient pattern).</summary>
    [Benchmark]
    public void Gemm1ThreadNT() =>
        Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, _m, _n, _k, 1f, _a, _k, _b, _k, 0f, _c, _n, 1, GemmKernelKind.Auto);

    /// <summary>
    /// The machine's FMA ceiling at this moment: a register-only loop of 12 independent fused multiply-add
    /// chains doing the same 2·M·N·K flops (widest vectors available). Its GFLOP/s is the peak the GEMM
    /// rows are compared with; measured in the same run, so both see the same (shared, noisy) machine.
    /// </summary>
    [Benchmark]
    public float FmaPeak()
    {
        long flops = 2L * _m * _n * _k;
        if (Avx512F.IsSupported)
        {
            return FmaLoop512(flops / (12 * 32));
        }

        return Fma.IsSupported ? FmaLoop256(flops / (12 * 16)) : 0f;
    }

    private static float FmaLoop256(long iterations)
    {
        var a = Vector256.Create(1.0000001f);
        var b = Vector256.Create(0.9999999f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma.MultiplyAdd(a, c0, b); c1 = Fma.MultiplyAdd(a, c1, b); c2 = Fma.MultiplyAdd(a, c2, b);
            c3 = Fma.MultiplyAdd(a, c3, b); c4 = Fma.MultiplyAdd(a, c4, b); c5 = Fma.MultiplyAdd(a, c5, b);
            c6 = Fma.MultiplyAdd(a, c6, b); c7 = Fma.MultiplyAdd(a, c7, b); c8 = Fma.MultiplyAdd(a, c8, b);
            c9 = Fma.MultiplyAdd(a, c9, b); c10 = Fma.MultiplyAdd(a, c10, b); c11 = Fma.MultiplyAdd(a, c11, b);
        }

        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).ToScalar();
    }

    private static float FmaLoop512(long iterations)
    {
        var a = Vector512.Create(1.0000001f);
        var b = Vector512.Create(0.9999999f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(a, c0, b); c1 = Avx512F.FusedMultiplyAdd(a, c1, b); c2 = Avx512F.FusedMultiplyAdd(a, c2, b);
            c3 = Avx512F.FusedMultiplyAdd(a, c3, b); c4 = Avx512F.FusedMultiplyAdd(a, c4, b); c5 = Avx512F.FusedMultiplyAdd(a, c5, b);
            c6 = Avx512F.FusedMultiplyAdd(a, c6, b); c7 = Avx512F.FusedMultiplyAdd(a, c7, b); c8 = Avx512F.FusedMultiplyAdd(a, c8, b);
            c9 = Avx512F.FusedMultiplyAdd(a, c9, b); c10 = Avx512F.FusedMultiplyAdd(a, c10, b); c11 = Avx512F.FusedMultiplyAdd(a, c11, b);
        }

        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).ToScalar();
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // Short job: the machine is shared and noisy; medians over a few iterations are what we report.
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7).WithId("Short"));
            AddColumn(new GflopsColumn());
            AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median);
        }
    }
}
