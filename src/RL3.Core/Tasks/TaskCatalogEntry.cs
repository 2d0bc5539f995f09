namespace RL3.Core.Tasks;

/// <summary>One named task distribution of the <see cref="TaskCatalog"/>, with its family's settings (<see cref="Settings"/>).</summary>
/// <param name="Name">The distribution's name (lookup is case-insensitive).</param>
/// <param name="Description">One line describing the distribution.</param>
/// <param name="Factory">Creates the distribution (a new, immutable instance per call).</param>
public sealed record TaskCatalogEntry(string Name, string Description, Func<ITaskDistribution> Factory)
{
    /// <summary>Gets the settings the distribution declares (<see cref="TaskFamilySettings.For"/>).</summary>
    public TaskFamilySettings Settings => TaskFamilySettings.For(Factory());

    /// <summary>Gets the family's usual interaction budget H (<see cref="TaskFamilySettings.InteractionBudget"/>).</summary>
    public int InteractionBudget => Settings.InteractionBudget;

    /// <summary>Gets the family's value scale c (<see cref="TaskFamilySettings.ValueScale"/>).</summary>
    public double ValueScale => Settings.ValueScale;

    /// <summary>Gets the family's Laplace smoothing λ (<see cref="TaskFamilySettings.LaplaceSmoothing"/>).</summary>
    public double LaplaceSmoothing => Settings.LaplaceSmoothing;

    /// <summary>Gets the family's value-iteration ε (<see cref="TaskFamilySettings.ValueIterationEpsilon"/>).</summary>
    public double ValueIterationEpsilon => Settings.ValueIterationEpsilon;

    /// <summary>Gets the family's clustering radius ρ, or null (<see cref="TaskFamilySettings.ClusteringRadius"/>).</summary>
    public double? ClusteringRadius => Settings.ClusteringRadius;

    /// <summary>Creates the distribution.</summary>
    /// <returns>A new distribution instance.</returns>
    public ITaskDistribution CreateDistribution() => Factory();
}
