using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>
/// A trained <see cref="IMetaPolicy"/> as an evaluation method: pass it to <see cref="MetaEvaluator"/> beside the
/// baselines and it plays the same tasks with the same task streams, paired task by task.
/// </summary>
/// <remarks>
/// Its meta-environments come from the recipe the policy was trained with (RL² or RL³ inputs, the inner estimator,
/// H); a family evaluated with it must have the recipe's observation and action spaces (its out-of-distribution
/// variants do). <see cref="MetaEvaluator"/> plays it batched, exactly as <c>Training.PolicyEvaluator</c> does, so
/// both give the same per-task returns; <see cref="CreateAgent"/> gives a one-at-a-time <see cref="PolicyAgent"/>.
/// </remarks>
public sealed class PolicyAgentFactory : IMetaAgentFactory
{
    /// <summary>Creates the method.</summary>
    /// <param name="name">The method's display name (for example <c>RL³</c>).</param>
    /// <param name="policy">The trained policy (not disposed by the factory).</param>
    /// <param name="environment">The meta-environment recipe the policy acts in.</param>
    /// <param name="selection">Greedy (the most probable action) or sampled actions.</param>
    public PolicyAgentFactory(string name, IMetaPolicy policy, MetaEnvironmentSpec environment, ActionSelection selection = ActionSelection.Greedy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        if (!Enum.IsDefined(selection))
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection, "selection must be Greedy or Sample.");
        }

        CheckShapes(policy, environment.ObservationSize, environment.InteractionBudget, nameof(policy));
        Name = name;
        Policy = policy;
        Environment = environment;
        Selection = selection;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The policy.</summary>
    public IMetaPolicy Policy { get; }

    /// <summary>The meta-environment recipe.</summary>
    public MetaEnvironmentSpec Environment { get; }

    /// <summary>Greedy or sampled actions.</summary>
    public ActionSelection Selection { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var trained = Environment.Distribution;
        if (distribution.ObservationSize != trained.ObservationSize || distribution.ActionCount != trained.ActionCount)
        {
            throw new ArgumentException($"'{Name}' was trained on '{trained.Name}' (observation size {trained.ObservationSize}, {trained.ActionCount} actions); '{distribution.Name}' has {distribution.ObservationSize} and {distribution.ActionCount}.", nameof(distribution));
        }

        if (interactionBudget != Environment.InteractionBudget)
        {
            throw new ArgumentOutOfRangeException(nameof(interactionBudget), interactionBudget, $"'{Name}' acts in meta-episodes of H = {Environment.InteractionBudget}.");
        }
    }

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget)
    {
        EnsureSupports(distribution, interactionBudget);
        return Environment.Create();
    }

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new PolicyAgent(Name, Policy, Selection);

    /// <summary>Throws unless <paramref name="policy"/> reads observations of <paramref name="observationSize"/> for H steps.</summary>
    internal static void CheckShapes(IMetaPolicy policy, int observationSize, int interactionBudget, string parameterName)
    {
        if (policy.ObservationSize != observationSize)
        {
            throw new ArgumentException($"policy.ObservationSize ({policy.ObservationSize}) must equal the environment's ({observationSize}).", parameterName);
        }

        if (policy.MaxSequenceLength < interactionBudget)
        {
            throw new ArgumentException($"policy.MaxSequenceLength ({policy.MaxSequenceLength}) must be at least H = {interactionBudget}.", parameterName);
        }
    }
}
