namespace RL3.Core.Training.Shards;

/// <summary>
/// "Collect shard <see cref="Shard"/>'s rollout of iteration <see cref="Iteration"/> from these weights and keep it."
/// Plain data (ints, longs, arrays of float and ulong): the rollout, its statistics and every later result of the shard
/// in this iteration are a pure function of this request and the run's specification, so sending the same request to a
/// fresh worker rebuilds a lost shard bit for bit.
/// </summary>
/// <remarks>
/// The learner fills it from its state at the start of the iteration (docs/distributed.md, "Shards and the seam"):
/// the iteration-start weights, the task sampler's position and the random-stream states of the shard's slots and of
/// the shard's acting and shuffling streams. A worker must not keep a reference to the arrays after the call, and an
/// executor that may replay the request (to rebuild a lost shard) must copy it first: the trainer reuses these arrays,
/// so <see cref="Parameters"/> changes with every optimiser step of the iteration.
/// </remarks>
public sealed class ShardRolloutRequest
{
    /// <summary>The iteration (0-based).</summary>
    public int Iteration { get; init; }

    /// <summary>The shard, in [0, <see cref="ShardCount"/>).</summary>
    public int Shard { get; init; }

    /// <summary>S, the run's number of shards (a worker checks it against its own options).</summary>
    public int ShardCount { get; init; }

    /// <summary>The training task index of global slot 0 in this iteration; global slot i plays task <c>TaskPosition + i</c>.</summary>
    public long TaskPosition { get; init; }

    /// <summary>The policy's parameters at the start of the iteration, in <see cref="Policies.IPolicyOptimizer"/>'s flat layout.</summary>
    public float[] Parameters { get; init; } = [];

    /// <summary>The states of the shard's slots' random streams at the start of the iteration, four words per slot, in slot order.</summary>
    public ulong[] SlotRandomStates { get; init; } = [];

    /// <summary>The state of the shard's acting stream (four words): the policy's sampling draws.</summary>
    public ulong[] ActingRandomState { get; init; } = [];

    /// <summary>The state of the shard's shuffling stream (four words): the shard's minibatch permutations.</summary>
    public ulong[] ShuffleRandomState { get; init; } = [];
}
