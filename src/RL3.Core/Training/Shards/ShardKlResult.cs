namespace RL3.Core.Training.Shards;

/// <summary>A shard's sum of the exact per-step KL(π_old‖π), Σ_a π_old(a|s)(log π_old(a|s) − log π(a|s)), over its steps in order.</summary>
public sealed class ShardKlResult
{
    /// <summary>The iteration.</summary>
    public int Iteration { get; init; }

    /// <summary>The shard.</summary>
    public int Shard { get; init; }

    /// <summary>The sum over the shard's N/S·H steps (in sequence order, then step order).</summary>
    public double KlSum { get; init; }

    /// <summary>The shard's step count N/S·H.</summary>
    public long Steps { get; init; }

    /// <summary>Seconds the worker spent (compute only).</summary>
    public double Seconds { get; init; }
}
