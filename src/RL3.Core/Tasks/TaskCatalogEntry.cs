namespace RL3.Core.Tasks;

/// <summary>One named task distribution of the <see cref="TaskCatalog"/> with the paper's recommended settings for its family.</summary>
/// <param name="Name">The distribution's name (lookup is case-insensitive).</param>
/// <param name="Description">One line describing the distribution.</param>
/// <param name="Factory">Creates the distribution (a new, immutable instance per call).</param>
/// <param name="InteractionBudget">The interaction budget H: steps per meta-episode.</param>
/// <param name="ValueScale">The value scale c dividing the inner estimator's Q features.</param>
/// <param name="LaplaceSmoothing">The inner estimator's Laplace smoothing λ.</param>
/// <param name="ValueIterationEpsilon">The inner value iteration's stopping threshold ε.</param>
/// <param name="ClusteringRadius">The coarse-clustering radius ρ of RL³-coarse, or null where the family has none.</param>
public sealed record TaskCatalogEntry(
    string Name,
    string Description,
    Func<ITaskDistribution> Factory,
    int InteractionBudget,
    double ValueScale,
    double LaplaceSmoothing,
    double ValueIterationEpsilon,
    double? ClusteringRadius)
{
    /// <summary>Creates the distribution.</summary>
    /// <returns>A new distribution instance.</returns>
    public ITaskDistribution CreateDistribution() => Factory();
}
