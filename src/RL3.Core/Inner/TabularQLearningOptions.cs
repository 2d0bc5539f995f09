namespace RL3.Core.Inner;

/// <summary>Options of <see cref="TabularQLearning"/>. Copied and validated when the estimator is built.</summary>
public sealed class TabularQLearningOptions
{
    /// <summary>Learning rate α in (0, 1]. Default 0.1.</summary>
    public double LearningRate { get; set; } = 0.1;

    /// <summary>Discount γ in [0, 1]. Default 0.95.</summary>
    public double Gamma { get; set; } = 0.95;

    /// <summary>Initial Q-value of every (s,a) (finite). Default 0.</summary>
    public double InitialValue { get; set; }

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range; the message names it and its range.</exception>
    public void Validate()
    {
        const string options = "options";
        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            Guard.ThrowOutOfRange(LearningRate, "in (0, 1]", options, "TabularQLearningOptions.LearningRate");
        }

        if (!(Gamma >= 0 && Gamma <= 1))
        {
            Guard.ThrowOutOfRange(Gamma, "in [0, 1]", options, "TabularQLearningOptions.Gamma");
        }

        if (!double.IsFinite(InitialValue))
        {
            Guard.ThrowOutOfRange(InitialValue, "finite", options, "TabularQLearningOptions.InitialValue");
        }
    }
}
