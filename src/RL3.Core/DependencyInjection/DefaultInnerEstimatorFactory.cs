using RL3.Core.Inner;
using RL3.Core.Meta;

namespace RL3.Core.DependencyInjection;

/// <summary>The built-in estimator the run's inner section names (value iteration or Q-learning, <see cref="InnerEstimatorOptions"/>).</summary>
internal sealed class DefaultInnerEstimatorFactory : IInnerEstimatorFactory
{
    public IInnerRLEstimator Create(InnerEstimatorContext context) =>
        (context.Options ?? throw new ArgumentException("The context carries no inner settings; build it with MetaEnvironmentSpec.ForAlgorithm.", nameof(context)))
            .BuiltInEstimator(context.StateCapacity, context.ActionCount)();
}
