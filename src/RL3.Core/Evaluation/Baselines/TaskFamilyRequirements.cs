using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>Capability checks shared by the baselines: each throws a clear exception naming the parameter and what is allowed.</summary>
internal static class TaskFamilyRequirements
{
    /// <summary>H must be at least 1.</summary>
    public static void Budget(int interactionBudget)
    {
        if (interactionBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interactionBudget), interactionBudget, "interactionBudget (H) must be at least 1.");
        }
    }

    /// <summary>Any task family with at least one action.</summary>
    public static void Any(ITaskDistribution distribution, int interactionBudget)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        Budget(interactionBudget);
    }

    /// <summary>Multi-armed bandits: every task episode is one step (task horizon 1) from a single decision state.</summary>
    public static void Bandit(ITaskDistribution distribution, int interactionBudget, string method)
    {
        Any(distribution, interactionBudget);
        if (distribution.TaskHorizon != 1)
        {
            throw new ArgumentException(
                $"{method} applies only to multi-armed bandit families (task horizon 1, for example bandits-k5); " +
                $"'{distribution.Name}' has task horizon {distribution.TaskHorizon}.",
                nameof(distribution));
        }
    }

    /// <summary>Discrete-state families (tasks report <see cref="ITask.StateIndex"/>), for example bandits and random MDPs.</summary>
    public static void DiscreteStates(ITaskDistribution distribution, int interactionBudget, string method)
    {
        Any(distribution, interactionBudget);
        if (distribution.StateCount < 1)
        {
            throw new ArgumentException(
                $"{method} applies only to task families with discrete states (StateCount ≥ 1, for example random MDPs or bandits); " +
                $"'{distribution.Name}' has continuous observations (StateCount = 0).",
                nameof(distribution));
        }
    }

    /// <summary>The environment must be an RL³ environment (with the inner block).</summary>
    public static ObservationBlock InnerAdvantage(MetaEnvironment environment, string method)
    {
        if (!environment.Layout.IncludesInnerBlock)
        {
            throw new ArgumentException($"{method} reads Q from the observation's inner block; the environment has no inner estimator (RL² layout).", nameof(environment));
        }

        return environment.Layout[ObservationLayout.InnerAdvantage];
    }

    /// <summary>The current task must expose its true MDP.</summary>
    public static ITabularMdp TabularMdp(MetaEnvironment environment, string method)
    {
        var task = environment.CurrentTask ?? throw new ArgumentException("The environment must be reset before BeginMetaEpisode.", nameof(environment));
        return task as ITabularMdp ?? throw new ArgumentException(
            $"{method} needs tasks that expose their true MDP (ITabularMdp: bandits, random MDPs, grid worlds); {task.GetType().Name} does not.",
            nameof(environment));
    }

    /// <summary>The environment must have a current task.</summary>
    public static ITask Task(MetaEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.CurrentTask ?? throw new ArgumentException("The environment must be reset before BeginMetaEpisode.", nameof(environment));
    }

    /// <summary>Throws when a bandit reward is not Bernoulli (0 or 1).</summary>
    public static void BernoulliReward(double reward, string method)
    {
        if (reward is not (0.0 or 1.0))
        {
            ThrowNotBernoulli(reward, method);
        }
    }

    private static void ThrowNotBernoulli(double reward, string method) =>
        throw new InvalidOperationException($"{method} assumes Bernoulli rewards (0 or 1); the task paid {reward}. Use it only on Bernoulli bandit families.");
}
