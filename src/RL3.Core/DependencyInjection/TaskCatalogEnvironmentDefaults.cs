using Microsoft.Extensions.Options;
using RL3.Core.Meta;

namespace RL3.Core.DependencyInjection;

/// <summary>The value scale c of the catalog family <see cref="RL3Options.TaskDistribution"/> names (see <see cref="TaskCatalogValueIterationDefaults"/>).</summary>
internal sealed class TaskCatalogEnvironmentDefaults(IEnumerable<IConfigureOptions<RL3Options>> configureRl3, IEnumerable<IPostConfigureOptions<RL3Options>> postConfigureRl3)
    : IConfigureOptions<MetaEnvironmentOptions>
{
    /// <inheritdoc/>
    public void Configure(MetaEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (TaskCatalogValueIterationDefaults.CatalogEntry(configureRl3, postConfigureRl3) is { } entry)
        {
            options.ValueScale = entry.ValueScale;
        }
    }
}
