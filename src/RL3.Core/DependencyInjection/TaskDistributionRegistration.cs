using RL3.Core.Tasks;

namespace RL3.Core.DependencyInjection;

/// <summary>One user task family added by <c>AddTaskDistribution</c>; collected by <see cref="TaskDistributionRegistry"/>.</summary>
/// <param name="Name">The name it is resolved by.</param>
/// <param name="Factory">Creates the distribution from the service provider.</param>
internal sealed record TaskDistributionRegistration(string Name, Func<IServiceProvider, ITaskDistribution> Factory);
