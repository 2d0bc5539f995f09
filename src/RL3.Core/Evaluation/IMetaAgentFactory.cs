using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>
/// Creates the agents and meta-environments of one evaluation method. The evaluator calls it from several
/// threads at once (one environment and one agent per task), so implementations must be thread-safe.
/// </summary>
public interface IMetaAgentFactory
{
    /// <summary>The method's display name; every agent it creates has this name.</summary>
    string Name { get; }

    /// <summary>Checks that the method applies to a task family and interaction budget.</summary>
    /// <param name="distribution">The task family.</param>
    /// <param name="interactionBudget">H, the number of steps per meta-episode.</param>
    /// <exception cref="ArgumentNullException"><paramref name="distribution"/> is null.</exception>
    /// <exception cref="ArgumentException">The family is not supported; the message names the families that are.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interactionBudget"/> is out of the supported range.</exception>
    void EnsureSupports(ITaskDistribution distribution, int interactionBudget);

    /// <summary>Creates the meta-environment the method's agents play in (RL², or RL³ with the estimator the agent reads).</summary>
    /// <param name="distribution">The task family.</param>
    /// <param name="interactionBudget">H.</param>
    /// <returns>A new environment.</returns>
    MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget);

    /// <summary>Creates a fresh agent.</summary>
    /// <returns>A new agent.</returns>
    IMetaAgent CreateAgent();
}
