namespace RL3.Core.Nn.Optim;

/// <summary>
/// Linear interpolation from <see cref="Initial"/> at step 0 to <see cref="Final"/> at
/// <see cref="DecaySteps"/>, constant afterwards: <c>η(t) = η₀ + (η₁ − η₀)·min(t / T, 1)</c>.
/// </summary>
public sealed class LinearDecayLearningRate : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">Learning rate at step 0 (finite, ≥ 0).</param>
    /// <param name="final">Learning rate from <paramref name="decaySteps"/> on (finite, ≥ 0; default 0).</param>
    /// <param name="decaySteps">Length T of the decay (≥ 1).</param>
    public LinearDecayLearningRate(double initial, double final, long decaySteps)
    {
        if (!(initial >= 0) || !double.IsFinite(initial))
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "initial must be finite and non-negative.");
        }

        if (!(final >= 0) || !double.IsFinite(final))
        {
            throw new ArgumentOutOfRangeException(nameof(final), final, "final must be finite and non-negative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
        Initial = initial;
        Final = final;
        DecaySteps = decaySteps;
    }

    /// <summary>Learning rate at step 0.</summary>
    public double Initial { get; }

    /// <summary>Learning rate from <see cref="DecaySteps"/> on.</summary>
    public double Final { get; }

    /// <summary>Number of steps of the decay.</summary>
    public long DecaySteps { get; }

    /// <inheritdoc/>
    public override double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        double f = Math.Min(1.0, (double)step / DecaySteps);
        return Initial + ((Final - Initial) * f);
    }
}
