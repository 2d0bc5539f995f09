using BenchmarkDotNet.Attributes;
using RL3.Core.Meta;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Benchmarks.Meta;

/// <summary>
/// One step of N = 64 RL³ meta-environments (64 environment steps with estimator refresh) into one [64, obs] buffer,
/// on one thread (baseline) and on all cores. Steps per second = 64 / time per operation.
/// </summary>
[MemoryDiagnoser]
public class MetaEnvironmentBatchBenchmarks
{
    private const int Slots = 64;
    private MetaEnvironmentBatch _sequential = null!;
    private MetaEnvironmentBatch _parallel = null!;
    private ITask[] _tasks = null!;
    private int[] _actions = null!;
    private RandomSource _actionRandom = null!;

    /// <summary>The built-in task distribution.</summary>
    [Params("bandits-k5", "mdp-10x5", "grid-13x13")]
    public string Task { get; set; } = "bandits-k5";

    /// <summary>Builds the batches and tasks.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var spec = MetaEnvironmentSpec.ForCatalogEntry(TaskCatalog.Get(Task), MetaAlgorithm.Rl3);
        _sequential = new MetaEnvironmentBatch(Slots, _ => spec.Create(), 1, maxDegreeOfParallelism: 1);
        _parallel = new MetaEnvironmentBatch(Slots, _ => spec.Create(), 1, maxDegreeOfParallelism: -1);
        _tasks = new ITask[Slots];
        for (int i = 0; i < Slots; i++)
        {
            _tasks[i] = spec.Distribution.Sample(RandomSource.Derive(7, (ulong)i));
        }

        _sequential.ResetAll(_tasks);
        _parallel.ResetAll(_tasks);
        _actions = new int[Slots];
        _actionRandom = new RandomSource(9);
    }

    /// <summary>All 64 slots stepped on the calling thread (baseline).</summary>
    [Benchmark(Baseline = true)]
    public float OneThread() => Step(_sequential);

    /// <summary>All 64 slots stepped in parallel on all cores.</summary>
    [Benchmark]
    public float AllCores() => Step(_parallel);

    private float Step(MetaEnvironmentBatch batch)
    {
        if (batch[0].IsDone)
        {
            batch.ResetAll(_tasks);
        }

        for (int i = 0; i < Slots; i++)
        {
            _actions[i] = _actionRandom.NextInt(5);
        }

        batch.Step(_actions);
        return batch.Observations[0];
    }
}
