using System.Globalization;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation.Baselines;

/// <summary>
/// ε-greedy on action values read from the RL³ observation's inner block: with probability ε a uniformly random
/// action, otherwise the action maximising <c>(Q(s,·) − V(s))/c</c> of the current state, ties broken uniformly at
/// random (ε = 0 is greedy). The values come from <see cref="GreedyValueSource"/>: the RL³ inner estimator
/// (model-based Q-value iteration — the "inner-RL-greedy" agent, every family) or the Beta(1,1) posterior mean of
/// each arm (the classic greedy / ε-greedy bandit baselines, Bernoulli bandits only).
/// </summary>
/// <remarks>
/// For model-based value iteration the estimator uses the options RL³ uses for the family
/// (<see cref="MetaEnvironmentSpec.ForAlgorithm"/>: the paper's horizon rules and the family's <see cref="TaskFamilySettings"/>). Discrete families are indexed directly, continuous ones by exact match.
/// </remarks>
public sealed class EpsilonGreedyAgentFactory : IMetaAgentFactory
{
    /// <summary>Creates the factory.</summary>
    /// <param name="epsilon">ε in [0, 1]: the probability of a uniformly random action.</param>
    /// <param name="valueSource">Where the action values come from.</param>
    /// <param name="name">Display name; default <c>greedy</c> / <c>epsilon-greedy (eps=…)</c> for the posterior mean, <c>inner-greedy (MBVI)</c> / <c>inner-epsilon-greedy (MBVI, eps=…)</c> for value iteration.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is outside [0, 1], or <paramref name="valueSource"/> is not defined.</exception>
    public EpsilonGreedyAgentFactory(double epsilon, GreedyValueSource valueSource = GreedyValueSource.ModelBasedValueIteration, string? name = null)
    {
        if (!(epsilon >= 0 && epsilon <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon (ε) must be in [0, 1].");
        }

        if (valueSource is not (GreedyValueSource.ModelBasedValueIteration or GreedyValueSource.BetaPosteriorMean))
        {
            throw new ArgumentOutOfRangeException(nameof(valueSource), valueSource, "valueSource must be ModelBasedValueIteration or BetaPosteriorMean.");
        }

        Epsilon = epsilon;
        ValueSource = valueSource;
        Name = name ?? DefaultName(epsilon, valueSource);
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Where the action values come from.</summary>
    public GreedyValueSource ValueSource { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public void EnsureSupports(ITaskDistribution distribution, int interactionBudget)
    {
        if (ValueSource == GreedyValueSource.BetaPosteriorMean)
        {
            TaskFamilyRequirements.Bandit(distribution, interactionBudget, "Posterior-mean (ε-)greedy (Beta–Bernoulli)");
            if (distribution.StateCount < 1)
            {
                throw new ArgumentException($"Posterior-mean (ε-)greedy needs a bandit family with discrete states; '{distribution.Name}' has StateCount 0.", nameof(distribution));
            }
        }
        else
        {
            TaskFamilyRequirements.Any(distribution, interactionBudget);
            if (distribution.TaskHorizon < 0)
            {
                throw new ArgumentException($"distribution.TaskHorizon must be ≥ 0; '{distribution.Name}' has {distribution.TaskHorizon}.", nameof(distribution));
            }
        }
    }

    /// <inheritdoc />
    public MetaEnvironment CreateEnvironment(ITaskDistribution distribution, int interactionBudget)
    {
        EnsureSupports(distribution, interactionBudget);
        var options = new MetaEnvironmentOptions { InteractionBudget = interactionBudget };
        if (ValueSource == GreedyValueSource.BetaPosteriorMean)
        {
            options.ValueScale = 1.0;
            int states = distribution.StateCount;
            return new MetaEnvironment(distribution, options, new BetaPosteriorMeanEstimator(states, distribution.ActionCount), new DirectStateIndexer(states));
        }

        // The RL³ environment of the paper, with the family's own settings (TaskFamilySettings).
        return MetaEnvironmentSpec.ForAlgorithm(distribution, MetaAlgorithm.Rl3, interactionBudget).Create();
    }

    /// <inheritdoc />
    public IMetaAgent CreateAgent() => new EpsilonGreedyAgent(Name, Epsilon);

    private static string DefaultName(double epsilon, GreedyValueSource source) => (epsilon, source) switch
    {
        (0, GreedyValueSource.BetaPosteriorMean) => "greedy",
        (_, GreedyValueSource.BetaPosteriorMean) => string.Create(CultureInfo.InvariantCulture, $"epsilon-greedy (eps={epsilon:0.###})"),
        (0, _) => "inner-greedy (MBVI)",
        _ => string.Create(CultureInfo.InvariantCulture, $"inner-epsilon-greedy (MBVI, eps={epsilon:0.###})"),
    };
}
