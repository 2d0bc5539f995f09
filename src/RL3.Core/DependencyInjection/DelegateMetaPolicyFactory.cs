using RL3.Core.Policies;

namespace RL3.Core.DependencyInjection;

/// <summary>An <see cref="IMetaPolicyFactory"/> over a user delegate (<c>AddPolicy</c>).</summary>
internal sealed class DelegateMetaPolicyFactory(IServiceProvider services, Func<IServiceProvider, PolicyContext, IMetaPolicy> factory)
    : IMetaPolicyFactory
{
    public IMetaPolicy Create(PolicyContext context) =>
        factory(services, context) ?? throw new InvalidOperationException("The policy factory registered with AddPolicy returned null.");
}
