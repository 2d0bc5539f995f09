using RL3.Core.Tasks;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// Resolves task distributions by name: the built-in <see cref="TaskCatalog"/> families plus those registered with
/// <c>AddTaskDistribution</c>. Names are case-insensitive.
/// </summary>
public interface ITaskDistributionRegistry
{
    /// <summary>Gets every name that <see cref="Get"/> accepts: the catalog names first, then the registered ones in registration order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Returns whether <paramref name="name"/> names a known task distribution.</summary>
    /// <param name="name">The name to look up.</param>
    /// <returns><see langword="true"/> when <see cref="Get"/> would succeed.</returns>
    bool Contains(string name);

    /// <summary>Gets the task distribution registered under <paramref name="name"/> (created once, then shared).</summary>
    /// <param name="name">A catalog name or a registered name.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is unknown; the message lists the known names.</exception>
    ITaskDistribution Get(string name);
}
