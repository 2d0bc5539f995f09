namespace RL3.Core.Tasks;

/// <summary>
/// Implemented by a task distribution that declares its family's own RL³ settings (value scale c, Laplace smoothing λ,
/// value-iteration ε, clustering radius ρ, usual H). The hook for a user family to get the treatment the built-in
/// families get: implement it on your <see cref="ITaskDistribution"/> and every composition path (presets, the CLI,
/// <c>AddRL3()</c>, <c>MetaEnvironmentSpec.ForAlgorithm</c>) uses the settings wherever a run leaves them unset.
/// </summary>
public interface ITaskFamilySettingsProvider
{
    /// <summary>Gets the family's settings.</summary>
    TaskFamilySettings FamilySettings { get; }
}
