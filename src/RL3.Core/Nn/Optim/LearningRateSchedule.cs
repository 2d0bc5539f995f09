namespace RL3.Core.Nn.Optim;

/// <summary>A learning rate as a function of the optimiser step count.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for the step taken after <paramref name="step"/> completed steps.</summary>
    /// <param name="step">Completed steps (≥ 0).</param>
    /// <returns>The learning rate.</returns>
    public abstract double At(long step);
}
