namespace RL3.Core.Training.Shards;

/// <summary>
/// "Sum the exact KL(π_old‖π) over shard <see cref="Shard"/>'s steps at these weights" (<see cref="KlEarlyStop.ExactFullBatch"/>
/// only; π_old is recorded by the worker when it collects the rollout, from the iteration-start weights).
/// </summary>
public sealed class ShardKlRequest
{
    /// <summary>The iteration whose rollout is used.</summary>
    public int Iteration { get; init; }

    /// <summary>The shard.</summary>
    public int Shard { get; init; }

    /// <summary>The policy's current parameters in the flat layout.</summary>
    public float[] Parameters { get; init; } = [];
}
