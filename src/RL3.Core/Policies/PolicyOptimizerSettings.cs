namespace RL3.Core.Policies;

/// <summary>
/// The settings of a policy's optimiser (<see cref="IMetaPolicy.CreateOptimizer"/>): Adam with a separate, coupled
/// weight decay on the critic, as in the paper. Defaults match <c>PpoOptions</c>.
/// </summary>
public sealed class PolicyOptimizerSettings
{
    /// <summary>Learning rate η (finite, ≥ 0; default 3e-4). Can be changed later through <see cref="IPolicyOptimizer.LearningRate"/>.</summary>
    public double LearningRate { get; set; } = 3e-4;

    /// <summary>Adam β₁, the decay of the first moment (in [0, 1); default 0.9).</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam β₂, the decay of the second moment (in [0, 1); default 0.999).</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Adam ε added to the denominator (positive, finite; default 1e-7, the paper's value).</summary>
    public double Epsilon { get; set; } = 1e-7;

    /// <summary>
    /// The critic's weight decay λ, coupled (added to the gradient, PyTorch <c>Adam(weight_decay=λ)</c>; finite, ≥ 0;
    /// default 0.01). The actor has none.
    /// </summary>
    public double CriticWeightDecay { get; set; } = 0.01;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the message names it and the allowed range).</exception>
    public void Validate()
    {
        Check(LearningRate >= 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "finite and ≥ 0");
        Check(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "in [0, 1)");
        Check(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "in [0, 1)");
        Check(Epsilon > 0 && double.IsFinite(Epsilon), nameof(Epsilon), Epsilon, "positive and finite");
        Check(CriticWeightDecay >= 0 && double.IsFinite(CriticWeightDecay), nameof(CriticWeightDecay), CriticWeightDecay, "finite and ≥ 0");
    }

    private static void Check(bool ok, string name, double value, string range)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}.");
        }
    }
}
