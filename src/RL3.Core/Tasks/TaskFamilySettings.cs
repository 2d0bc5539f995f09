namespace RL3.Core.Tasks;

/// <summary>
/// A task family's own settings for RL³ (docs/method.md §2–§4): the interaction budget H it is usually run with, the value
/// scale c, the learned model's Laplace smoothing λ, the value-iteration tolerance ε and the coarse-clustering radius ρ.
/// </summary>
/// <remarks>
/// A distribution declares them by implementing <see cref="ITaskFamilySettingsProvider"/>; <see cref="For"/> returns
/// <see cref="Default"/> for one that does not. They are defaults only: the composition
/// (<c>MetaEnvironmentSpec.ForAlgorithm</c>) applies them where the run's inner section leaves a field unset, and that is
/// the only place they are applied.
/// </remarks>
public sealed record TaskFamilySettings
{
    /// <summary>Gets the settings of a family that declares none: H = 100, c = 10, λ = 0.1, ε = 0.01, no radius.</summary>
    public static TaskFamilySettings Default { get; } = new();

    /// <summary>Gets the interaction budget H the family is usually run with (≥ 1). Default 100.</summary>
    public int InteractionBudget { get; init; } = 100;

    /// <summary>Gets the value scale c dividing the inner Q-values in the observation (&gt; 0). Default 10.</summary>
    public double ValueScale { get; init; } = 10.0;

    /// <summary>Gets the Laplace smoothing λ of the learned model (≥ 0). Default 0.1.</summary>
    public double LaplaceSmoothing { get; init; } = 0.1;

    /// <summary>Gets the value-iteration stopping threshold ε (≥ 0). Default 0.01.</summary>
    public double ValueIterationEpsilon { get; init; } = 0.01;

    /// <summary>Gets the clustering radius ρ of RL³-coarse (&gt; 0), or null where the family has none. Default null.</summary>
    public double? ClusteringRadius { get; init; }

    /// <summary>The settings <paramref name="distribution"/> declares, or <see cref="Default"/>.</summary>
    /// <param name="distribution">The task distribution.</param>
    /// <returns>The family's settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="distribution"/> is null.</exception>
    public static TaskFamilySettings For(ITaskDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        return (distribution as ITaskFamilySettingsProvider)?.FamilySettings ?? Default;
    }
}
