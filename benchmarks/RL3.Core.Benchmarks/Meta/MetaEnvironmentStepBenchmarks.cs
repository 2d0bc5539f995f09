using BenchmarkDotNet.Attributes;

namespace RL3.Core.Benchmarks.Meta;

/// <summary>
/// One RL³ environment step including the inner estimator's refresh (task step, model update, value iteration,
/// observation with the inner block), averaged over whole meta-episodes of the family's H so the learned model grows as
/// it does in training. Baseline: the same step with dense O(S²A) value iteration from zero (the paper's code's way).
/// </summary>
[MemoryDiagnoser]
public class MetaEnvironmentStepBenchmarks
{
    private MetaStepScenario _sparse = null!;
    private MetaStepScenario _dense = null!;

    /// <summary>The built-in task distribution.</summary>
    [Params("bandits-k5", "mdp-10x5", "grid-13x13")]
    public string Task { get; set; } = "bandits-k5";

    /// <summary>Builds both scenarios.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sparse = new MetaStepScenario(Task, denseBaseline: false);
        _dense = new MetaStepScenario(Task, denseBaseline: true);
    }

    /// <summary>Dense value iteration (baseline).</summary>
    [Benchmark(Baseline = true)]
    public double DenseStep() => _dense.Step();

    /// <summary>RL3.Core's sparse value iteration.</summary>
    [Benchmark]
    public double SparseStep() => _sparse.Step();
}
