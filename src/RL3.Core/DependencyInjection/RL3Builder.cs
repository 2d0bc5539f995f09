using Microsoft.Extensions.DependencyInjection;

namespace RL3.Core.DependencyInjection;

/// <summary>The one implementation of <see cref="IRL3Builder"/>.</summary>
/// <param name="Services">The service collection the RL3 services are added to.</param>
internal sealed record RL3Builder(IServiceCollection Services) : IRL3Builder;
