using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RL3.Core.DependencyInjection;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

// The AddRL3 entry point lives in the DI namespace (as AddOptions, AddHttpClient and AddStandardResilienceHandler do) so it shows
// up with no extra using; the types it registers stay in RL3.Core.DependencyInjection.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Extension methods that add RL3.Core meta-training services to an <see cref="IServiceCollection"/>.</summary>
public static class RL3ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the RL3 services: validated options for every section of the run (<see cref="RL3Options"/>, <see cref="PpoOptions"/>,
    /// <see cref="InnerEstimatorOptions"/>, the policy options and <see cref="EvaluationOptions"/>, each with <c>ValidateOnStart</c>), the
    /// <see cref="ITaskDistributionRegistry"/>, the default <see cref="IInnerEstimatorFactory"/> and <see cref="IMetaPolicyFactory"/>,
    /// and the <see cref="IRL3TrainerFactory"/>.
    /// </summary>
    /// <param name="services">The <see cref="IServiceCollection"/> to add the services to.</param>
    /// <returns>An <see cref="IRL3Builder"/> so that additional calls can be chained.</returns>
    /// <remarks>
    /// Calling it again adds nothing: the services are registered with <c>TryAdd</c> and the option registrations only once.
    /// Under a host, invalid options stop the start (<c>ValidateOnStart</c>); without one, resolving <see cref="IRL3TrainerFactory"/>
    /// reads every options value and throws <see cref="OptionsValidationException"/> at once.
    /// The environment is composed by <see cref="MetaEnvironmentSpec.ForAlgorithm"/>, as for the CLI and the presets: inner settings
    /// left unset (c, λ, ε, sweeps, warm start, ρ) take the task family's defaults (<c>TaskFamilySettings</c>, declared by the
    /// distribution through <c>ITaskFamilySettingsProvider</c>; built-in and user families alike).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IRL3Builder AddRL3(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new RL3Builder(services);
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(RL3MarkerService))
            {
                return builder;
            }
        }

        services.TryAddSingleton<RL3MarkerService>();
        services.AddOptions();
        AddValidated<RL3Options>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RL3Options>, RL3CompositionValidator>());
        AddValidated<PpoOptions>(services, RL3Options.PpoSection, o => o.Validate());
        AddValidated<InnerEstimatorOptions>(services, RL3Options.InnerSection, o => o.Validate());
        AddValidated<EvaluationOptions>(services, RL3Options.EvaluationSection, o => o.Validate());

        // The policy options are pure hyperparameters; the shape comes from the environment when the policy is built.
        AddValidated<GruPolicyOptions>(services, RL3Options.GruPolicySection, o => o.Validate());
        AddValidated<TransformerPolicyOptions>(services, RL3Options.TransformerPolicySection, o => o.Validate());
        AddValidated<MlpPolicyOptions>(services, RL3Options.MlpPolicySection, o => o.Validate());

        services.TryAddSingleton<ITaskDistributionRegistry, TaskDistributionRegistry>();
        services.TryAddSingleton<IInnerEstimatorFactory, DefaultInnerEstimatorFactory>();
        services.TryAddSingleton<IMetaPolicyFactory, DefaultMetaPolicyFactory>();
        services.TryAddSingleton<IRL3TrainerFactory, RL3TrainerFactory>();
        return builder;
    }

    /// <summary>Adds the RL3 services (<see cref="AddRL3(IServiceCollection)"/>) and configures <see cref="RL3Options"/>.</summary>
    /// <param name="services">The <see cref="IServiceCollection"/> to add the services to.</param>
    /// <param name="configure">Sets the task distribution, the algorithm and the policy kind.</param>
    /// <returns>An <see cref="IRL3Builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRL3Builder AddRL3(this IServiceCollection services, Action<RL3Options> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddRL3().Configure(configure);
    }

    /// <summary>
    /// Adds the RL3 services (<see cref="AddRL3(IServiceCollection)"/>) and binds every options type from
    /// <paramref name="configuration"/> (see <see cref="RL3BuilderExtensions.BindConfiguration"/>).
    /// </summary>
    /// <param name="services">The <see cref="IServiceCollection"/> to add the services to.</param>
    /// <param name="configuration">The RL3 section, e.g. <c>configuration.GetSection(RL3Options.SectionName)</c>.</param>
    /// <returns>An <see cref="IRL3Builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRL3Builder AddRL3(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddRL3().BindConfiguration(configuration);
    }

    private static void AddValidated<TOptions>(IServiceCollection services)
        where TOptions : class => services.AddOptions<TOptions>().ValidateOnStart();

    private static void AddValidated<TOptions>(IServiceCollection services, string section, Action<TOptions> validate)
        where TOptions : class
    {
        AddValidated<TOptions>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(
            new RL3OptionsValidator<TOptions>($"{RL3Options.SectionName}:{section}", validate)));
    }
}
