namespace RL3.Core.Training.Shards;

/// <summary>
/// What a worker returns after collecting a shard's rollout (<see cref="IShardWorker.CollectRollout"/>): the streams'
/// states after the iteration and the shard's partial statistics. The rollout itself stays on the worker.
/// </summary>
public sealed class ShardRolloutResult
{
    /// <summary>The iteration.</summary>
    public int Iteration { get; init; }

    /// <summary>The shard.</summary>
    public int Shard { get; init; }

    /// <summary>The slots' random-stream states after the rollout (four words per slot; the next iteration's request).</summary>
    public ulong[] SlotRandomStates { get; init; } = [];

    /// <summary>The acting stream's state after the rollout (four words).</summary>
    public ulong[] ActingRandomState { get; init; } = [];

    /// <summary>The shuffling stream's state after this iteration's permutations were drawn (four words).</summary>
    public ulong[] ShuffleRandomState { get; init; } = [];

    /// <summary>Moments of the shard's meta-episode returns (one value per slot, in slot order).</summary>
    public ShardMoments EpisodeReturns { get; init; }

    /// <summary>Moments of the critic targets R over the shard's N/S·H tokens (for the explained variance).</summary>
    public ShardMoments CriticTargets { get; init; }

    /// <summary>Moments of R − V_old over the shard's tokens (for the explained variance).</summary>
    public ShardMoments CriticResiduals { get; init; }

    /// <summary>
    /// Moments of the shard's GAE advantages in each minibatch of each epoch, index <c>epoch × MinibatchCount + minibatch</c>
    /// (<see cref="ShardLayout.MinibatchCount"/>), in the minibatch's order; the learner combines them into the
    /// minibatch's mean and standard deviation for advantage normalisation.
    /// </summary>
    public ShardMoments[] MinibatchAdvantages { get; init; } = [];

    /// <summary>The time step (0 … H) of the shard's first non-finite rollout input, or −1 when every input is finite.</summary>
    public int NonFiniteStep { get; init; } = -1;

    /// <summary>What that first non-finite input is (global sequence index, step, element and value), or null.</summary>
    public string? NonFiniteInput { get; init; }

    /// <summary>Seconds the worker spent on the rollout (compute only).</summary>
    public double Seconds { get; init; }
}
