namespace RL3.Core.Training.Shards;

/// <summary>
/// "Compute shard <see cref="Shard"/>'s partial gradient of minibatch <see cref="Minibatch"/> of epoch <see cref="Epoch"/>
/// at these weights." The worker must hold the shard's rollout of <see cref="Iteration"/>
/// (<see cref="ShardRolloutMissingException"/> otherwise). The result is a pure function of this request and the
/// rollout request of the iteration.
/// </summary>
public sealed class ShardGradientRequest
{
    /// <summary>The iteration whose rollout is used.</summary>
    public int Iteration { get; init; }

    /// <summary>The shard.</summary>
    public int Shard { get; init; }

    /// <summary>The epoch, in [0, <see cref="PpoOptions.Epochs"/>).</summary>
    public int Epoch { get; init; }

    /// <summary>The minibatch, in [0, <see cref="ShardLayout.MinibatchCount"/>).</summary>
    public int Minibatch { get; init; }

    /// <summary>The policy's current parameters in the flat layout (the worker copies them into its replica).</summary>
    public float[] Parameters { get; init; } = [];

    /// <summary>The whole minibatch's advantage mean (ignored unless <see cref="PpoOptions.NormalizeAdvantages"/>).</summary>
    public double AdvantageMean { get; init; }

    /// <summary>1 / (the whole minibatch's advantage standard deviation + 1e-8) (ignored unless <see cref="PpoOptions.NormalizeAdvantages"/>).</summary>
    public double AdvantageInverseStd { get; init; }

    /// <summary>False once the KL early stop froze the actor: the actor's gradient is then zero.</summary>
    public bool ActorActive { get; init; }

    /// <summary>The entropy coefficient of the iteration.</summary>
    public double EntropyCoefficient { get; init; }
}
