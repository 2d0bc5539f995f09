using Microsoft.Extensions.Options;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Tasks;

namespace RL3.Core.DependencyInjection;

/// <summary>
/// The built-in families' own settings, applied when <see cref="RL3Options.TaskDistribution"/> names a
/// <see cref="TaskCatalog"/> family: the value scale c (<see cref="MetaEnvironmentOptions.ValueScale"/>), and for value
/// iteration the Laplace smoothing λ, the tolerance ε and the paper's horizon rules (<see cref="ModelBasedValueIterationOptions.ForTask"/>:
/// sweeps = TH, warm start for long horizons, with H from <see cref="MetaEnvironmentOptions.InteractionBudget"/>).
/// </summary>
/// <remarks>
/// <c>AddRL3</c> registers these before any configuration of its own callers, so every later <c>Configure</c>,
/// <c>BindConfiguration</c> or <c>UsePreset</c> overrides them field by field: with only a task name, a run uses the same
/// settings as the CLI and the presets (c = 1 and one sweep for bandits) instead of the options' generic defaults.
/// The task name is read from the raw <see cref="RL3Options"/> configuration (not from <c>IOptions&lt;RL3Options&gt;</c>,
/// whose validator reads the environment options: that would be a cycle).
/// </remarks>
internal sealed class TaskCatalogValueIterationDefaults(IEnumerable<IConfigureOptions<RL3Options>> configureRl3, IEnumerable<IPostConfigureOptions<RL3Options>> postConfigureRl3, IOptions<MetaEnvironmentOptions> environment)
    : IConfigureOptions<ModelBasedValueIterationOptions>
{
    /// <inheritdoc/>
    public void Configure(ModelBasedValueIterationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (CatalogEntry(configureRl3, postConfigureRl3) is not { } entry)
        {
            return;
        }

        var rules = ModelBasedValueIterationOptions.ForTask(entry.CreateDistribution().TaskHorizon, environment.Value.InteractionBudget);
        options.MaxSweeps = rules.MaxSweeps;
        options.WarmStart = rules.WarmStart;
        options.LaplaceSmoothing = entry.LaplaceSmoothing;
        options.Epsilon = entry.ValueIterationEpsilon;
    }

    /// <summary>The catalog entry <see cref="RL3Options.TaskDistribution"/> names after every configuration action, or null.</summary>
    internal static TaskCatalogEntry? CatalogEntry(IEnumerable<IConfigureOptions<RL3Options>> configure, IEnumerable<IPostConfigureOptions<RL3Options>> postConfigure)
    {
        var rl3 = new RL3Options();
        foreach (var c in configure)
        {
            if (c is IConfigureNamedOptions<RL3Options> named)
            {
                named.Configure(Options.DefaultName, rl3);
            }
            else
            {
                c.Configure(rl3);
            }
        }

        foreach (var p in postConfigure)
        {
            p.PostConfigure(Options.DefaultName, rl3);
        }

        return rl3.TaskDistribution is { } name && TaskCatalog.TryGet(name, out var entry) ? entry : null;
    }
}
