using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>The uniformly random policy: every step picks one of the A actions uniformly. Applies to every task family.</summary>
public sealed class RandomAgentFactory : IMetaAgentFactory
{
    /// <summary>Creates the factory.</summary>
    /// <param name="name">Display name; default <c>random</c>.</param>
    public RandomAgentFactory(string name = "random")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget) => TaskFamilyRequirements.Any(distribution, interactionBudget);

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget) => Rl2Environments.Create(distribution, interactionBudget);

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new RandomAgent(Name);
}
