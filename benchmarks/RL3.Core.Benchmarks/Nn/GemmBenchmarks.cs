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
