using RL3.Core.Training.Shards;

namespace RL3.Core.Orleans.Hosting;

/// <summary>
/// Builds a worker's <see cref="ShardWorker"/> for a run from the run's specification, which the learner sends with the
/// first rollout of a run (the default, <see cref="PresetShardWorkerFactory"/>, reads TrainingPreset JSON). Register your
/// own on the worker's services (before <c>UseRL3Worker</c>) to build runs of task families or policies that a preset
/// cannot name; the learner then sends whatever text your factory reads (<c>OrleansShardExecutor</c>'s specification).
/// </summary>
public interface IShardWorkerFactory
{
    /// <summary>Builds the replica that computes the shards of the run <paramref name="specification"/> describes.</summary>
    /// <param name="specification">The run specification sent by the learner.</param>
    /// <returns>The worker and what it owns.</returns>
    ShardWorkerReplica Create(string specification);
}

/// <summary>A <see cref="ShardWorker"/> with the policy replica it computes on; disposing it disposes both.</summary>
/// <param name="worker">The shard worker.</param>
/// <param name="owned">What to dispose after the worker (the policy replica); null for nothing.</param>
public sealed class ShardWorkerReplica(ShardWorker worker, IDisposable? owned) : IDisposable
{
    /// <summary>The shard worker.</summary>
    public ShardWorker Worker { get; } = worker ?? throw new ArgumentNullException(nameof(worker));

    /// <summary>Disposes the worker, then what it computes on.</summary>
    public void Dispose()
    {
        Worker.Dispose();
        owned?.Dispose();
    }
}
