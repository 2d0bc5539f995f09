using System.Globalization;

namespace RL3.Core.Training;

/// <summary>
/// Thrown when a loss or gradient becomes NaN or infinite during a PPO update. The optimiser step that would
/// have applied it is skipped; checkpoints already written are untouched.
/// </summary>
/// <remarks>
/// When one of the update's inputs was already non-finite (a rollout observation, reward or critic value; for
/// example a reward beyond float range or an inner estimate that overflowed), <see cref="FirstNonFiniteInput"/> names
/// the first one in time order and the message says the input, not the step size, is at fault. Otherwise the inputs
/// were finite and the message points at the learning rate and gradient clipping.
/// </remarks>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="quantity">The metric key or name of the non-finite quantity.</param>
    /// <param name="value">Its value.</param>
    /// <param name="iteration">The iteration (0-based).</param>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="minibatch">The minibatch (0-based).</param>
    public TrainingDivergedException(string quantity, double value, int iteration, int epoch, int minibatch)
        : this(quantity, value, iteration, epoch, minibatch, null)
    {
    }

    /// <summary>Creates the exception, naming the first non-finite input of the update when there was one.</summary>
    /// <param name="quantity">The metric key or name of the non-finite quantity.</param>
    /// <param name="value">Its value.</param>
    /// <param name="iteration">The iteration (0-based).</param>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="minibatch">The minibatch (0-based).</param>
    /// <param name="firstNonFiniteInput">A description of the first non-finite input, or null when every input was finite.</param>
    public TrainingDivergedException(string quantity, double value, int iteration, int epoch, int minibatch, string? firstNonFiniteInput)
        : base(Describe(quantity, value, iteration, epoch, minibatch, firstNonFiniteInput))
    {
        Quantity = quantity;
        Value = value;
        Iteration = iteration;
        FirstNonFiniteInput = firstNonFiniteInput;
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

    /// <summary>
    /// The first input of the update that was already NaN or infinite (for example
    /// <c>reward of sequence 2 at step 0 (+∞)</c>), or null when every input was finite or it is not known.
    /// </summary>
    public string? FirstNonFiniteInput { get; }

    private static string Describe(string quantity, double value, int iteration, int epoch, int minibatch, string? firstNonFiniteInput)
    {
        string what = $"{quantity} is {value.ToString(CultureInfo.InvariantCulture)} at iteration {iteration}, epoch {epoch}, minibatch {minibatch}; the update was stopped before the optimiser step.";
        return firstNonFiniteInput is null
            ? $"{what} Every input of the update was finite: lower the learning rate or enable gradient clipping (MaxGradientNorm)."
            : $"{what} An input was already non-finite, so the step size is not the cause: the first is the {firstNonFiniteInput}. Check the task's rewards and observations (and a custom inner estimator or policy).";
    }
}
