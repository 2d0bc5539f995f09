using BenchmarkDotNet.Attributes;
using RL3.Core.Inner;

namespace RL3.Core.Benchmarks.Inner;

/// <summary>
/// One solve from zero of the exact 13x13 grid world of <c>perf/vi_bench.py</c> (169 known states, 4 actions,
/// γ = 0.95, ε = 0.01, at most 350 sweeps, λ = 0 so the learned model equals the script's T and R): the
/// like-for-like counterpart of numpy's dense solve (4.6 ms).
/// </summary>
[MemoryDiagnoser]
public class ViBenchGridSolveBenchmarks
{
    private const int States = 169, Actions = 4;
    private ModelBasedValueIteration _sparse = null!;
    private DenseValueIterationReference _dense = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ModelBasedValueIterationOptions { Gamma = 0.95, Epsilon = 0.01, MaxSweeps = 350, LaplaceSmoothing = 0 };
        _sparse = new ModelBasedValueIteration(States, Actions, options);
        _dense = new DenseValueIterationReference(States, Actions, options);
        _sparse.Reset(States);
        _dense.Reset(States);
        foreach (var t in InnerScenarios.ViBenchGrid())
        {
            _sparse.Model.Add(t);
            _dense.Model.Add(t);
        }

        _sparse.Solve();
        _dense.Solve();
        var q = new double[Actions];
        var v = _sparse.Estimate(States / 2, q, new double[Actions], new double[Actions]);
        Console.WriteLine($"// vi_bench grid: sparse {_sparse.LastSweepCount} sweeps, dense {_dense.LastSweepCount} sweeps; V(centre) = {v.Value:G6}");
    }

    [Benchmark(Baseline = true)]
    public int DenseFromZero()
    {
        _dense.Solve();
        return _dense.LastSweepCount;
    }

    [Benchmark]
    public int SparseFromZero()
    {
        _sparse.Solve();
        return _sparse.LastSweepCount;
    }
}
