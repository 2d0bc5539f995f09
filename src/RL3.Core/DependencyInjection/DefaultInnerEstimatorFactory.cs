using Microsoft.Extensions.Options;
using RL3.Core.Inner;
using RL3.Core.Meta;

namespace RL3.Core.DependencyInjection;

/// <summary>Model-based value iteration for RL³ and RL³-coarse, tabular Q-learning for RL³ (Q-learning).</summary>
internal sealed class DefaultInnerEstimatorFactory : IInnerEstimatorFactory
{
    private readonly ModelBasedValueIterationOptions _valueIteration;
    private readonly TabularQLearningOptions _qLearning;

    public DefaultInnerEstimatorFactory(IOptions<ModelBasedValueIterationOptions> valueIteration, IOptions<TabularQLearningOptions> qLearning)
    {
        ArgumentNullException.ThrowIfNull(valueIteration);
        ArgumentNullException.ThrowIfNull(qLearning);

        // Reading .Value here runs the validators, so bad settings fail when the factory is first resolved.
        _valueIteration = OptionsCopy.Clone(valueIteration.Value);
        _qLearning = OptionsCopy.Clone(qLearning.Value);
    }

    public IInnerRLEstimator Create(InnerEstimatorContext context) => context.Algorithm switch
    {
        MetaAlgorithm.Rl3QLearning => new TabularQLearning(context.StateCapacity, context.ActionCount, _qLearning),
        MetaAlgorithm.Rl3 or MetaAlgorithm.Rl3Coarse => new ModelBasedValueIteration(context.StateCapacity, context.ActionCount, _valueIteration),
        _ => throw new ArgumentOutOfRangeException(nameof(context), context.Algorithm, "An inner estimator exists only for Rl3, Rl3Coarse and Rl3QLearning."),
    };
}
