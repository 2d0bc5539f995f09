using RL3.Core.Inner;
using RL3.Core.Meta;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Creates the inner RL estimator of each RL³ meta-environment slot. The default builds the estimator the run's inner section
/// names (<see cref="ModelBasedValueIteration"/> or <see cref="TabularQLearning"/>, <see cref="InnerEstimatorContext.Options"/>);
/// replace it with <c>AddInnerEstimator</c>.
/// </summary>
public interface IInnerEstimatorFactory
{
    /// <summary>Creates one estimator (called once per environment slot: estimators are not shared).</summary>
    /// <param name="context">The task family, the variant and the table size.</param>
    /// <returns>A new estimator with <see cref="IInnerRLEstimator.StateCapacity"/> ≥ <see cref="InnerEstimatorContext.StateCapacity"/>.</returns>
    IInnerRLEstimator Create(InnerEstimatorContext context);
}
