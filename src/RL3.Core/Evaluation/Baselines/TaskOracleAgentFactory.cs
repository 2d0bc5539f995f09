using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// The task oracle: knows the task's true MDP (<see cref="ITabularMdp"/>) and acts optimally for the meta-episode by
/// finite-horizon dynamic programming over the remaining task-episode steps, bounded by the remaining meta-steps
/// (over the remaining meta-steps alone for tasks without a task horizon). An upper reference, not a learner.
/// Applies to every family whose tasks implement <see cref="ITabularMdp"/> (bandits, random MDPs, grid worlds).
/// </summary>
/// <remarks>
/// <para>
/// Values are indexed by the remaining meta-steps m ≤ H, the remaining task-episode steps e ≤ TH (a single index
/// when TH is unbounded) and the state: <c>V(m, e, s) = max_a Σ_s' T(s'|s,a) [R(s,a,s') + W]</c>, where
/// <c>W = V(m−1, TH, s₀)</c> when the episode ends with this step (s' absorbing, or e = 1) — the task restarts in its
/// start state s₀ and the meta-episode goes on — and <c>W = V(m−1, e−1, s')</c> otherwise; V(0, ·, ·) = 0. So an early
/// absorption that leaves more steps for further episodes is valued correctly. The start state is the one the task
/// was in when the meta-episode began (the built-in families have a fixed start). Cost per meta-episode:
/// O(H · TH · S · A · successors) once, then O(A · successors) per step.
/// </para>
/// </remarks>
public sealed class TaskOracleAgentFactory : IMetaAgentFactory
{
    /// <summary>Seed of the one probe task <see cref="EnsureSupports"/> samples to check that tasks expose <see cref="ITabularMdp"/> (never a split's task seed in practice).</summary>
    internal const ulong ProbeSeed = 0x0DDBA11UL;

    /// <summary>Creates the factory.</summary>
    /// <param name="name">Display name; default <c>oracle</c>.</param>
    public TaskOracleAgentFactory(string name = "oracle")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget)
    {
        TaskFamilyRequirements.Any(distribution, interactionBudget);
        var probe = distribution.Sample(new Randomness.RandomSource(ProbeSeed));
        if (probe is not ITabularMdp)
        {
            throw new ArgumentException(
                $"The task oracle needs tasks that expose their true MDP (ITabularMdp: bandits, random MDPs, grid worlds); '{distribution.Name}' samples {probe.GetType().Name}.",
                nameof(distribution));
        }
    }

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget) => Rl2Environments.Create(distribution, interactionBudget);

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new TaskOracleAgent(Name);
}
