using BenchmarkDotNet.Attributes;
using RL3.Core.Inner;

namespace RL3.Core.Benchmarks.Inner;

/// <summary>
/// 13x13 grid world with discovered states: the model is grown over a 350-step random walk of a stand-in slippery
/// grid, then one inner-estimator step (Observe + Estimate) is timed. At most H = 350 sweeps, λ = 0.01; the paper's
/// rule (unbounded TH) is a warm start; the zero-start variant isolates the gain of sparsity alone.
/// </summary>
[MemoryDiagnoser]
public class GridWorldValueIterationBenchmarks
{
    private const int Capacity = 169, Actions = 5, Prefix = 350;
    private ModelBasedValueIteration _warm = null!, _warmSnapshot = null!, _zero = null!, _zeroSnapshot = null!;
    private DenseValueIterationReference _dense = null!, _denseSnapshot = null!;
    private InnerStepRunner _runner = null!;

    /// <summary>Stopping threshold: 0.1 is the paper's value for grid worlds, 0.01 the default elsewhere.</summary>
    [Params(0.1, 0.01)]
    public double Epsilon { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ModelBasedValueIterationOptions Options(bool warm) => new()
        {
            Epsilon = Epsilon, MaxSweeps = 350, LaplaceSmoothing = 0.01, WarmStart = warm,
        };

        _warm = new ModelBasedValueIteration(Capacity, Actions, Options(true));
        _warmSnapshot = new ModelBasedValueIteration(Capacity, Actions, Options(true));
        _zero = new ModelBasedValueIteration(Capacity, Actions, Options(false));
        _zeroSnapshot = new ModelBasedValueIteration(Capacity, Actions, Options(false));
        _dense = new DenseValueIterationReference(Capacity, Actions, Options(false));
        _denseSnapshot = new DenseValueIterationReference(Capacity, Actions, Options(false));
        foreach (IInnerRLEstimator e in new IInnerRLEstimator[] { _warm, _warmSnapshot, _zero, _zeroSnapshot, _dense, _denseSnapshot })
        {
            e.Reset(0);
        }

        var stream = InnerScenarios.GridWalk(13, Prefix + InnerStepRunner.Steps, out int rows);
        _runner = new InnerStepRunner(stream, Prefix, Actions, [_warmSnapshot, _zeroSnapshot, _denseSnapshot]);
        Console.WriteLine($"// grid walk: {rows} rows after {Prefix + InnerStepRunner.Steps} steps; after the prefix: n_s = {_zeroSnapshot.Model.KnownStateCount}, " +
            $"{_zeroSnapshot.Model.ObservedTripleCount} observed (s,a,s'), last zero-start solve {_zeroSnapshot.LastSweepCount} sweeps (dense {_denseSnapshot.LastSweepCount}), warm {_warmSnapshot.LastSweepCount}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = InnerStepRunner.Steps)]
    public double DenseFromZero() => _runner.Run(_dense, _denseSnapshot);

    [Benchmark(OperationsPerInvoke = InnerStepRunner.Steps)]
    public double SparseZeroStart() => _runner.Run(_zero, _zeroSnapshot);

    [Benchmark(OperationsPerInvoke = InnerStepRunner.Steps)]
    public double SparseWarmStart() => _runner.Run(_warm, _warmSnapshot);
}
