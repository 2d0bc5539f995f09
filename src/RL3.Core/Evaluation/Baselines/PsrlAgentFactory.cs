using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// Posterior sampling for reinforcement learning (PSRL; Strens 2000, Osband, Russo &amp; Van Roy 2013) for tabular
/// MDPs: at the start of every task episode sample an MDP from the posterior (Dirichlet over each T(·|s,a),
/// Normal-Gamma over each mean reward R(s,a); see <see cref="PsrlOptions"/>) and follow its optimal policy,
/// computed by finite-horizon dynamic programming over the steps left in the task episode (bounded by the steps
/// left in the meta-episode; for tasks without a task horizon, over the steps left in the meta-episode). States
/// observed to be absorbing are worth 0 in the sampled MDP. Applies to discrete-state families (random MDPs; also
/// bandits), not to families with continuous observations (grid worlds).
/// </summary>
public sealed class PsrlAgentFactory : IMetaAgentFactory
{
    private readonly PsrlOptions _options;

    /// <summary>Creates the factory.</summary>
    /// <param name="options">Priors (copied and validated); null for the defaults.</param>
    /// <param name="name">Display name; default <c>psrl</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PsrlAgentFactory(PsrlOptions? options = null, string name = "psrl")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _options = options?.Clone() ?? new PsrlOptions();
        _options.Validate();
        Name = name;
    }

    /// <summary>A copy of the priors.</summary>
    public PsrlOptions Options => _options.Clone();

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget) => TaskFamilyRequirements.DiscreteStates(distribution, interactionBudget, "PSRL");

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget) => Rl2Environments.Create(distribution, interactionBudget);

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new PsrlAgent(Name, _options);
}
