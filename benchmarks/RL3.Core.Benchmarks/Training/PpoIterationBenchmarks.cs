using BenchmarkDotNet.Attributes;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.Benchmarks.Training;

/// <summary>
/// One PPO iteration of the quick bandit preset (bandits-h10-rl3-quick: N = 400 meta-episodes of H = 10 steps, small
/// GRU) and its parts: the whole rollout (baseline), the environment side of the rollout alone (task steps + inner
/// value iteration + observations for H steps of all N slots) and the policy side alone (H batched Act calls). Steps per
/// second = N·H / time; the shares of rollout vs update and environment vs policy follow from the means.
/// </summary>
[MemoryDiagnoser]
public class PpoIterationBenchmarks
{
    private PpoTrainer _trainer = null!;
    private IMetaPolicy _policy = null!;
    private MetaEnvironmentBatch _batch = null!;
    private IMetaPolicyState _state = null!;
    private ITask[] _tasks = null!;
    private int[] _actions = null!;
    private float[] _logProbabilities = null!;
    private float[] _values = null!;
    private RandomSource _random = null!;
    private int _h;

    /// <summary>Builds the trainer and the stand-alone environment batch and policy state.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var preset = PresetCatalog.Get("bandits-h10-rl3-quick");
        var spec = preset.CreateEnvironment();
        _policy = preset.CreatePolicy(spec);
        _trainer = new PpoTrainer(_policy, spec, preset.Ppo);
        int n = preset.EnvironmentCount;
        _h = preset.InteractionBudget;
        _batch = new MetaEnvironmentBatch(n, _ => spec.Create(), 5);
        _state = _policy.CreateState(n);
        _tasks = new ITask[n];
        for (int i = 0; i < n; i++)
        {
            _tasks[i] = spec.Distribution.Sample(RandomSource.Derive(6, (ulong)i));
        }

        _actions = new int[n];
        _logProbabilities = new float[n];
        _values = new float[n];
        _random = new RandomSource(7);
    }

    /// <summary>Releases the trainer and policy.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _trainer.Dispose();
        _policy.Dispose();
    }

    /// <summary>The rollout phase: N·H steps of environment + policy.</summary>
    [Benchmark(Baseline = true)]
    public void Rollout() => _trainer.RunRolloutOnly();

    /// <summary>A full iteration: rollout + GAE + PPO epochs.</summary>
    [Benchmark]
    public double FullIteration() => _trainer.RunIteration().ReturnMean;

    /// <summary>Only the environment side of a rollout (random actions): tasks, inner estimator, observations.</summary>
    [Benchmark]
    public float EnvironmentStepsOnly()
    {
        _batch.ResetAll(_tasks);
        for (int t = 0; t < _h; t++)
        {
            for (int i = 0; i < _actions.Length; i++)
            {
                _actions[i] = _random.NextInt(5);
            }

            _batch.Step(_actions);
        }

        return _batch.Observations[0];
    }

    /// <summary>Only the policy side of a rollout: H batched Act calls over the N slots.</summary>
    [Benchmark]
    public float PolicyActOnly()
    {
        _state.ResetAll();
        for (int t = 0; t < _h; t++)
        {
            _policy.Act(_state, _batch.Observations, ActionSelection.Sample, _random, _actions, _logProbabilities, _values);
        }

        return _values[0];
    }
}
