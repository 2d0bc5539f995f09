namespace RL3.Core.Training.Shards;

/// <summary>
/// A worker was asked for a gradient or a KL sum of a shard whose rollout of that iteration it does not hold (it never
/// collected it, or it was restarted). The executor answers by sending the shard's rollout request of the iteration
/// again (to this or another worker) and retrying: rollouts are pure functions of their request.
/// </summary>
public sealed class ShardRolloutMissingException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ShardRolloutMissingException()
        : base("The worker holds no rollout for the requested shard and iteration.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ShardRolloutMissingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ShardRolloutMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a shard and iteration.</summary>
    /// <param name="shard">The shard asked for.</param>
    /// <param name="iteration">The iteration asked for.</param>
    /// <param name="held">The iteration this worker holds for the shard, or −1 for none.</param>
    public ShardRolloutMissingException(int shard, int iteration, int held)
        : base(held < 0
            ? $"This worker holds no rollout of shard {shard}; send the shard's rollout request of iteration {iteration} first."
            : $"This worker holds shard {shard}'s rollout of iteration {held}, not of iteration {iteration}; send the shard's rollout request of iteration {iteration} first.")
    {
        Shard = shard;
        Iteration = iteration;
    }

    /// <summary>The shard asked for.</summary>
    public int Shard { get; }

    /// <summary>The iteration asked for.</summary>
    public int Iteration { get; }
}
