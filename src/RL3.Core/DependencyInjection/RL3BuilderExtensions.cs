using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RL3.Core.DependencyInjection;
using RL3.Core.Evaluation;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Extension methods on <see cref="IRL3Builder"/>: register task families, inner estimators and policies, and configure options.</summary>
/// <remarks>
/// Options are configured in registration order, as everywhere in <c>Microsoft.Extensions.Options</c>: the last
/// <c>Configure</c>, <see cref="BindConfiguration"/> or <see cref="UsePreset(IRL3Builder, TrainingPreset)"/> call wins for each field
/// it sets. <c>services.Configure&lt;TOptions&gt;(...)</c> works for every options type as well.
/// </remarks>
public static class RL3BuilderExtensions
{
    /// <summary>
    /// Registers a user task family under <paramref name="name"/>, created once with <see cref="ActivatorUtilities"/> (its constructor
    /// may take services and options from the container).
    /// </summary>
    /// <typeparam name="TDistribution">The task distribution type.</typeparam>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="name">The name it is resolved by (<see cref="ITaskDistributionRegistry.Get"/>, <see cref="RL3Options.TaskDistribution"/>).</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, a <see cref="TaskCatalog"/> name, or already registered.</exception>
    public static IRL3Builder AddTaskDistribution<TDistribution>(this IRL3Builder builder, string name)
        where TDistribution : class, ITaskDistribution =>
        builder.AddTaskDistribution(name, static services => ActivatorUtilities.CreateInstance<TDistribution>(services));

    /// <summary>Registers a user task family under <paramref name="name"/>, created once by <paramref name="factory"/>.</summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="name">The name it is resolved by (<see cref="ITaskDistributionRegistry.Get"/>, <see cref="RL3Options.TaskDistribution"/>).</param>
    /// <param name="factory">Creates the distribution from the service provider.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, a <see cref="TaskCatalog"/> name, or already registered.</exception>
    public static IRL3Builder AddTaskDistribution(this IRL3Builder builder, string name, Func<IServiceProvider, ITaskDistribution> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (TaskCatalog.TryGet(name, out _))
        {
            throw new ArgumentException($"'{name}' is a built-in TaskCatalog name; pick another name for your task distribution.", nameof(name));
        }

        foreach (var descriptor in builder.Services)
        {
            if (descriptor.ImplementationInstance is TaskDistributionRegistration existing
                && string.Equals(existing.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"A task distribution named '{name}' is already registered.", nameof(name));
            }
        }

        builder.Services.AddSingleton(new TaskDistributionRegistration(name, factory));
        return builder;
    }

    /// <summary>
    /// Replaces the inner estimator of RL³ with a user one (every <see cref="RL3Options.Algorithm"/> except
    /// <see cref="MetaAlgorithm.Rl2"/> then uses it).
    /// </summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="factory">Creates one estimator per environment slot.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRL3Builder AddInnerEstimator(this IRL3Builder builder, Func<IServiceProvider, InnerEstimatorContext, IInnerRLEstimator> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton<IInnerEstimatorFactory>(services => new DelegateInnerEstimatorFactory(services, factory)));
        return builder;
    }

    /// <summary>Replaces the inner estimator factory of RL³ with <typeparamref name="TFactory"/> (a singleton created by the container).</summary>
    /// <typeparam name="TFactory">The factory type.</typeparam>
    /// <param name="builder">The RL3 builder.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IRL3Builder AddInnerEstimator<TFactory>(this IRL3Builder builder)
        where TFactory : class, IInnerEstimatorFactory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IInnerEstimatorFactory, TFactory>());
        return builder;
    }

    /// <summary>Replaces the built-in policy networks with a user <see cref="IMetaPolicy"/> (<see cref="RL3Options.Policy"/> is then ignored).</summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="factory">Creates a policy sized to the environment.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRL3Builder AddPolicy(this IRL3Builder builder, Func<IServiceProvider, PolicyContext, IMetaPolicy> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMetaPolicyFactory>(services => new DelegateMetaPolicyFactory(services, factory)));
        return builder;
    }

    /// <summary>Replaces the policy factory with <typeparamref name="TFactory"/> (a singleton created by the container).</summary>
    /// <typeparam name="TFactory">The factory type.</typeparam>
    /// <param name="builder">The RL3 builder.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IRL3Builder AddPolicy<TFactory>(this IRL3Builder builder)
        where TFactory : class, IMetaPolicyFactory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMetaPolicyFactory, TFactory>());
        return builder;
    }

    /// <summary>Configures <see cref="RL3Options"/> (task distribution, algorithm, policy kind).</summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="configure">The action that sets the options.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRL3Builder Configure(this IRL3Builder builder, Action<RL3Options> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures the <see cref="PpoOptions"/> of the trainer.</summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="configure">The action that sets the options.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRL3Builder ConfigurePpo(this IRL3Builder builder, Action<PpoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Binds every RL3 options type from <paramref name="configuration"/>: <see cref="RL3Options"/> from its top-level keys and each
    /// section's options from its sub-section (<see cref="RL3Options.PpoSection"/>, <see cref="RL3Options.InnerSection"/>, …).
    /// </summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="configuration">The RL3 section, e.g. <c>configuration.GetSection(RL3Options.SectionName)</c>.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <remarks>
    /// Unknown keys are validation errors (<see cref="OptionsValidationException"/>), reported with the other invalid settings when
    /// the options are first read (at host start under <c>ValidateOnStart</c>): a misspelt key fails instead of silently keeping a default.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IRL3Builder BindConfiguration(this IRL3Builder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = builder.Services;
        services.AddOptions<RL3Options>().Bind(configuration);
        services.AddSingleton<IValidateOptions<RL3Options>>(new RL3ConfigurationKeysValidator(configuration));
        Bind<PpoOptions>(services, configuration, RL3Options.PpoSection);
        Bind<InnerEstimatorOptions>(services, configuration, RL3Options.InnerSection);
        Bind<GruPolicyOptions>(services, configuration, RL3Options.GruPolicySection);
        Bind<TransformerPolicyOptions>(services, configuration, RL3Options.TransformerPolicySection);
        Bind<MlpPolicyOptions>(services, configuration, RL3Options.MlpPolicySection);
        Bind<EvaluationOptions>(services, configuration, RL3Options.EvaluationSection);
        return builder;
    }

    /// <summary>Applies the built-in preset <paramref name="name"/> (see <see cref="PresetCatalog"/>) to every options type.</summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="name">A <see cref="PresetCatalog.Names"/> entry, e.g. <c>"bandits-h10-rl3-quick"</c>.</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a preset.</exception>
    public static IRL3Builder UsePreset(this IRL3Builder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        return builder.UsePreset(PresetCatalog.Get(name));
    }

    /// <summary>
    /// Applies <paramref name="preset"/> to every options type, as <c>rl3 train</c> does: the task, H, the algorithm and the policy
    /// kind, backend, device and thread count (<see cref="RL3Options"/>), the inner section, the policy options, the PPO options and the evaluation task count and seed.
    /// The task family's defaults are not copied: the composition applies them, as for every other path. Call it before
    /// <see cref="BindConfiguration"/> so configuration can override it.
    /// </summary>
    /// <param name="builder">The RL3 builder.</param>
    /// <param name="preset">The preset (validated now, then copied).</param>
    /// <returns>The <paramref name="builder"/> so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The preset is invalid.</exception>
    public static IRL3Builder UsePreset(this IRL3Builder builder, TrainingPreset preset)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(preset);
        preset.Validate();
        var p = preset.Clone();
        var services = builder.Services;
        services.Configure<RL3Options>(o =>
        {
            o.TaskDistribution = TaskCatalog.Get(p.Task).Name;
            o.InteractionBudget = p.InteractionBudget;
            o.Algorithm = p.Algorithm;
            o.Policy = p.Policy.Kind;
            o.PolicyBackend = p.Policy.Backend;
            o.PolicyDevice = p.Policy.Device;
            o.PolicyThreadCount = p.Policy.ThreadCount;
        });
        services.Configure<InnerEstimatorOptions>(o => OptionsCopy.CopyTo(p.Inner, o));
        services.Configure<PpoOptions>(o => OptionsCopy.CopyTo(p.Ppo, o));
        services.Configure<GruPolicyOptions>(o => OptionsCopy.CopyTo(p.Policy.Gru, o));
        services.Configure<TransformerPolicyOptions>(o => OptionsCopy.CopyTo(p.Policy.Transformer, o));
        services.Configure<MlpPolicyOptions>(o => OptionsCopy.CopyTo(p.Policy.Mlp, o));
        services.Configure<EvaluationOptions>(o =>
        {
            o.TaskCount = p.Evaluation.TaskCount;
            o.Seed = p.Evaluation.Seed;
        });
        return builder;
    }

    private static void Bind<TOptions>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section));
}
