using BenchmarkDotNet.Attributes;
using RL3.Core.Inner;

namespace RL3.Core.Benchmarks.Inner;

/// <summary>One inner-estimator step on Bernoulli bandits, k = 5 (S = 2, TH = 1: one sweep, zero start), after 50 pulls.</summary>
[MemoryDiagnoser]
public class BanditValueIterationBenchmarks
{
    private const int States = 2, Actions = 5, Prefix = 50;
    private ModelBasedValueIteration _sparse = null!, _sparseSnapshot = null!;
    private DenseValueIterationReference _dense = null!, _denseSnapshot = null!;
    private InnerStepRunner _runner = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = ModelBasedValueIterationOptions.ForTask(taskHorizon: 1, interactionBudget: 100);
        _sparse = new ModelBasedValueIteration(States, Actions, options);
        _sparseSnapshot = new ModelBasedValueIteration(States, Actions, options);
        _dense = new DenseValueIterationReference(States, Actions, options);
        _denseSnapshot = new DenseValueIterationReference(States, Actions, options);
        foreach (IInnerRLEstimator e in new IInnerRLEstimator[] { _sparse, _sparseSnapshot, _dense, _denseSnapshot })
        {
            e.Reset(States);
        }

        _runner = new InnerStepRunner(InnerScenarios.Bandit(11, Actions, Prefix + InnerStepRunner.Steps), Prefix, Actions, [_sparseSnapshot, _denseSnapshot]);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = InnerStepRunner.Steps)]
    public double DenseFromZero() => _runner.Run(_dense, _denseSnapshot);

    [Benchmark(OperationsPerInvoke = InnerStepRunner.Steps)]
    public double Sparse() => _runner.Run(_sparse, _sparseSnapshot);
}
