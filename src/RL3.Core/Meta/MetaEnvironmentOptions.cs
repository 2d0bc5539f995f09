namespace RL3.Core.Meta;

/// <summary>Options of a <see cref="MetaEnvironment"/>.</summary>
public sealed class MetaEnvironmentOptions
{
    /// <summary>The interaction budget H: steps per meta-episode (≥ 1). Default 100.</summary>
    public int InteractionBudget { get; set; } = 100;

    /// <summary>The value scale c dividing the inner Q-values (&gt; 0): 1 for bandits, 10 for MDPs and grid worlds. Default 10.</summary>
    public double ValueScale { get; set; } = 10.0;

    /// <summary>The divisor of the visit counts in the inner block (&gt; 0). Default 10 (docs/method.md §2).</summary>
    public double VisitCountScale { get; set; } = 10.0;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and the allowed range.</exception>
    public void Validate()
    {
        if (InteractionBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InteractionBudget), InteractionBudget, "InteractionBudget (H) must be at least 1.");
        }

        if (!(ValueScale > 0) || !double.IsFinite(ValueScale))
        {
            throw new ArgumentOutOfRangeException(nameof(ValueScale), ValueScale, "ValueScale (c) must be positive and finite.");
        }

        if (!(VisitCountScale > 0) || !double.IsFinite(VisitCountScale))
        {
            throw new ArgumentOutOfRangeException(nameof(VisitCountScale), VisitCountScale, "VisitCountScale must be positive and finite.");
        }
    }
}
