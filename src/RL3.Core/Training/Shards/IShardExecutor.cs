namespace RL3.Core.Training.Shards;

/// <summary>
/// Where the learner (<see cref="PpoTrainer"/>) sends the work of all S shards of one step of an iteration and gets the
/// S results back in shard order. The in-process executor runs the shards one after the other on a
/// <c>ShardWorker</c> sharing the trainer's policy; a distributed executor (the Orleans package) sends them to
/// workers, and when a worker is lost it replays the shard's rollout request of the iteration on another worker before
/// retrying: the results, and so the training, do not change.
/// </summary>
/// <remarks>
/// The learner calls, per iteration: <see cref="CollectRolloutsAsync"/> once, then for every epoch and minibatch
/// <see cref="ComputeGradientsAsync"/>, and under <see cref="KlEarlyStop.ExactFullBatch"/> <see cref="ComputeKlAsync"/>
/// after each actor epoch. Calls do not overlap. The learner waits for each call (it blocks its own thread), so do not
/// run the trainer on a thread that the executor's completions need.
/// </remarks>
public interface IShardExecutor
{
    /// <summary>S, the number of shards this executor serves (must equal the run's <c>PpoOptions.Shards</c>).</summary>
    int ShardCount { get; }

    /// <summary>Collects every shard's rollout (request s is shard s's).</summary>
    /// <param name="requests">One request per shard, in shard order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per shard, in shard order.</returns>
    ValueTask<ShardRolloutResult[]> CollectRolloutsAsync(IReadOnlyList<ShardRolloutRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Computes every shard's partial gradient of one minibatch (request s is shard s's).</summary>
    /// <param name="requests">One request per shard, in shard order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per shard, in shard order.</returns>
    ValueTask<ShardGradientResult[]> ComputeGradientsAsync(IReadOnlyList<ShardGradientRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Computes every shard's exact KL sum (request s is shard s's).</summary>
    /// <param name="requests">One request per shard, in shard order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per shard, in shard order.</returns>
    ValueTask<ShardKlResult[]> ComputeKlAsync(IReadOnlyList<ShardKlRequest> requests, CancellationToken cancellationToken = default);
}
