namespace RL3.Core.Training.Shards;

/// <summary>
/// A shard's partial gradient of one minibatch: ∂L/∂θ restricted to the shard's sequences, with L the whole minibatch's
/// loss (each token weighted 1/n, n the whole minibatch's token count), so the shards' gradients sum to the minibatch's
/// gradient. The learner adds them in shard order.
/// </summary>
public sealed class ShardGradientResult
{
    /// <summary>The iteration.</summary>
    public int Iteration { get; init; }

    /// <summary>The shard.</summary>
    public int Shard { get; init; }

    /// <summary>The epoch.</summary>
    public int Epoch { get; init; }

    /// <summary>The minibatch.</summary>
    public int Minibatch { get; init; }

    /// <summary>The partial gradient in the flat layout (<see cref="Policies.IPolicyOptimizer.ParameterCount"/> values).</summary>
    public float[] Gradients { get; init; } = [];

    /// <summary>The shard's partial sums of the loss terms.</summary>
    public ShardLossSums Loss { get; init; }

    /// <summary>Seconds the worker spent (compute only).</summary>
    public double Seconds { get; init; }
}
