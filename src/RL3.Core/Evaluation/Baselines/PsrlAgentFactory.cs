using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// Posterior sampling for reinforcement learning (PSRL; Strens 2000, Osband, Russo &amp; Van Roy 2013) for tabular
/// MDPs: sample an MDP from the posterior (Dirichlet over each T(·|s,a), Normal-Gamma over each mean reward R(s,a);
/// see <see cref="PsrlOptions"/>) and follow its optimal policy, computed by finite-horizon dynamic programming.
/// Applies to discrete-state families (random MDPs; also bandits), not to families with continuous observations
/// (grid worlds).
/// </summary>
/// <remarks>
/// <para>
/// Families with a task horizon TH: a sample at the start of every task episode (and, with
/// <see cref="PsrlOptions.ResampleWithinEpisodes"/>, within it), planned over the steps left in the task episode
/// (bounded by the steps left in the meta-episode). Entering a state observed to be absorbing ends the plan (worth 0).
/// </para>
/// <para>
/// Families without a task horizon: an episode may last the whole meta-episode, so a sample per episode could be the
/// only one. New samples come at each episode end and by the TSDE rule (Ouyang et al. 2017: when the visit count of
/// some (s, a) has doubled since the last sample, or the last sample has been followed one step longer than the one
/// before). The plan covers the steps left in the meta-episode, and entering an absorbing state restarts the task:
/// it is worth V(start) for the steps left, with the start distribution counted from the episodes seen.
/// </para>
/// </remarks>
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
