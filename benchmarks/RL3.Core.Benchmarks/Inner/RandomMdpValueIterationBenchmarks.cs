using BenchmarkDotNet.Attributes;
using RL3.Core.Inner;

namespace RL3.Core.Benchmarks.Inner;

/// <summary>
/// Random MDPs 10 × 5 (TH = 10: at most 10 sweeps, zero start, ε = 0.01, λ = 0.1), after 100 steps:
/// one inner-estimator step (Observe + Estimate), and one solve alone.
/// </summary>
[MemoryDiagnoser]
public class RandomMdpValueIterationBenchmarks
{
    private const int States = 10, Actions = 5, Prefix = 100;
    private ModelBasedValueIteration _sparse = null!, _sparseSnapshot = null!;
    private DenseValueIterationReference _dense = null!, _denseSnapshot = null!;
    private InnerStepRunner _runner = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = ModelBasedValueIterationOptions.ForTask(taskHorizon: 10, interactionBudget: 100);
        _sparse = new ModelBasedValueIteration(States, Actions, options);
        _sparseSnapshot = new ModelBasedValueIteration(States, Actions, options);
        _dense = new DenseValueIterationReference(States, Actions, options);
        _denseSnapshot = new DenseValueIterationReference(States, Actions, options);
        foreach (IInnerRLEstimator e in new IInnerRLEstimator[] { _sparse, _sparseSnapshot, _dense, _denseSnapshot })
        {
            e.Reset(States);
        }

        _runner = new InnerStepRunner(InnerScenarios.RandomMdp(12, States, Actions, 10, Prefix + InnerStepRunner.Steps), Prefix, Actions, [_sparseSnapshot, _denseSnapshot]);
        _sparse.CopyFrom(_sparseSnapshot);
        _dense.CopyFrom(_denseSnapshot);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = InnerStepRunner.Steps)]
    public double StepDenseFromZero() => _runner.Run(_dense, _denseSnapshot);

    [Benchmark(OperationsPerInvoke = InnerStepRunner.Steps)]
    public double StepSparse() => _runner.Run(_sparse, _sparseSnapshot);

    [Benchmark]
    public int SolveDenseFromZero()
    {
        _denseSnapshot.Solve();
        return _denseSnapshot.LastSweepCount;
    }

    [Benchmark]
    public int SolveSparse()
    {
        _sparseSnapshot.Solve();
        return _sparseSnapshot.LastSweepCount;
    }
}
