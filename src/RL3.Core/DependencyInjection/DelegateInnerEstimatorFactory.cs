using RL3.Core.Inner;
using RL3.Core.Meta;

namespace RL3.Core.DependencyInjection;

/// <summary>An <see cref="IInnerEstimatorFactory"/> over a user delegate (<c>AddInnerEstimator</c>).</summary>
internal sealed class DelegateInnerEstimatorFactory(IServiceProvider services, Func<IServiceProvider, InnerEstimatorContext, IInnerRLEstimator> factory)
    : IInnerEstimatorFactory
{
    public IInnerRLEstimator Create(InnerEstimatorContext context) =>
        factory(services, context) ?? throw new InvalidOperationException("The inner estimator factory registered with AddInnerEstimator returned null.");
}
