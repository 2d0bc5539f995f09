namespace RL3.Core.Training.Shards;

/// <summary>
/// Computes shards of a PPO iteration (docs/distributed.md, "Shards and the seam"): collects a shard's rollout and keeps
/// it, then answers partial gradients and KL sums of that shard. <c>ShardWorker</c> (in this namespace) is the implementation; a
/// remote worker (an Orleans grain, for example) wraps one and forwards these calls.
/// </summary>
/// <remarks>
/// <para>
/// Every result is a pure function of the request and of the shard's rollout request of the same iteration (and of
/// the run's specification: policy shape and options, environment, PPO options, which every worker of a run builds
/// alike). A worker that lost a shard answers <see cref="ShardRolloutMissingException"/>; sending the rollout request
/// again, to it or to any other worker, rebuilds the shard bit for bit.
/// </para>
/// <para>
/// A worker may hold the rollouts of several shards (one per shard: the latest iteration). It may reuse a result's
/// arrays for its next call about the same shard, so copy what must outlive that call; it never keeps a reference to a
/// request's arrays. Calls about one worker must not overlap (a worker is not thread-safe).
/// </para>
/// </remarks>
public interface IShardWorker
{
    /// <summary>Collects the shard's rollout from the request's weights, keeps it (replacing the shard's earlier one) and returns its statistics.</summary>
    /// <param name="request">The shard, iteration, weights, task position and random-stream states.</param>
    /// <returns>The streams' new states and the shard's partial statistics.</returns>
    /// <exception cref="ArgumentException">The request does not fit this worker's run (shard count, shard, array lengths).</exception>
    ShardRolloutResult CollectRollout(ShardRolloutRequest request);

    /// <summary>Computes the shard's partial gradient and loss sums of one minibatch at the request's weights.</summary>
    /// <param name="request">The iteration, shard, epoch, minibatch, weights and the minibatch's advantage statistics.</param>
    /// <returns>The partial gradient and loss sums.</returns>
    /// <exception cref="ShardRolloutMissingException">The worker holds no rollout of this shard and iteration.</exception>
    ShardGradientResult ComputeGradient(ShardGradientRequest request);

    /// <summary>Sums the exact KL(π_old‖π) over the shard's steps at the request's weights (<see cref="KlEarlyStop.ExactFullBatch"/>).</summary>
    /// <param name="request">The iteration, shard and weights.</param>
    /// <returns>The shard's KL sum.</returns>
    /// <exception cref="ShardRolloutMissingException">The worker holds no rollout of this shard and iteration.</exception>
    ShardKlResult ComputeKl(ShardKlRequest request);
}
