using RL3.Core.Tasks;

namespace RL3.Core.Meta;

/// <summary>What a user estimator factory (<c>IInnerEstimatorFactory</c>, <see cref="MetaEnvironmentSpec.ForAlgorithm"/>) needs to size one inner estimator.</summary>
/// <param name="Distribution">The task family the meta-environment runs.</param>
/// <param name="Algorithm">The RL³ variant being built (never <see cref="MetaAlgorithm.Rl2"/>).</param>
/// <param name="StateCapacity">
/// Table rows the estimator must hold: the family's <see cref="ITaskDistribution.StateCount"/> for discrete tasks, otherwise H + 1
/// (at most one new state per step plus the start).
/// </param>
/// <param name="InteractionBudget">The interaction budget H of one meta-episode.</param>
public readonly record struct InnerEstimatorContext(ITaskDistribution Distribution, MetaAlgorithm Algorithm, int StateCapacity, int InteractionBudget)
{
    /// <summary>Gets the number of actions A of the task family.</summary>
    public int ActionCount => Distribution.ActionCount;

    /// <summary>Gets the run's inner settings with every family default applied (γ, λ, ε, sweeps, …), or null when not given.</summary>
    public InnerEstimatorOptions? Options { get; init; }
}
