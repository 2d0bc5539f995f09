using Microsoft.Extensions.DependencyInjection;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Returned by <see cref="RL3ServiceCollectionExtensions.AddRL3(IServiceCollection)"/>: the handle on which the
/// RL3 registrations (<see cref="RL3BuilderExtensions"/>) are chained.
/// </summary>
/// <remarks>
/// The builder only composes: every service it registers is a thin layer over public constructors
/// (<c>new PpoTrainer(policy, environment, options)</c>, <c>new MetaEnvironmentSpec(...)</c>, …), so anything done
/// through dependency injection can be done without it.
/// </remarks>
public interface IRL3Builder
{
    /// <summary>Gets the <see cref="IServiceCollection"/> the RL3 services are added to.</summary>
    IServiceCollection Services { get; }
}
