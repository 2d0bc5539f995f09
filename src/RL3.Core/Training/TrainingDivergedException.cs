namespace RL3.Core.Training;

/// <summary>
/// Thrown when a loss or gradient becomes NaN or infinite during a PPO update. The optimiser step that would
/// have applied it is skipped; checkpoints already written are untouched.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="quantity">The metric key or name of the non-finite quantity.</param>
    /// <param name="value">Its value.</param>
    /// <param name="iteration">The iteration (0-based).</param>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="minibatch">The minibatch (0-based).</param>
    public TrainingDivergedException(string quantity, double value, int iteration, int epoch, int minibatch)
        : base($"{quantity} is {value} at iteration {iteration}, epoch {epoch}, minibatch {minibatch}; the update was stopped before the optimiser step. Lower the learning rate or enable gradient clipping (MaxGradientNorm).")
    {
        Quantity = quantity;
        Value = value;
        Iteration = iteration;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException()
        : this("a quantity", double.NaN, 0, 0, 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
        Quantity = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Quantity = string.Empty;
    }

    /// <summary>The non-finite quantity (for example <c>losses/value</c> or <c>gradients/actor_norm</c>).</summary>
    public string Quantity { get; }

    /// <summary>Its value.</summary>
    public double Value { get; }

    /// <summary>The iteration at which it happened.</summary>
    public int Iteration { get; }
}
