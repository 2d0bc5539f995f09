using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RL3.Core.Evaluation;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>The default <see cref="IRL3TrainerFactory"/>: composes the public constructors from the validated options.</summary>
internal sealed class RL3TrainerFactory : IRL3TrainerFactory
{
    private readonly RL3Options _options;
    private readonly PpoOptions _ppo;
    private readonly InnerEstimatorOptions _inner;
    private readonly EvaluationOptions _evaluation;
    private readonly ITaskDistributionRegistry _registry;
    private readonly IInnerEstimatorFactory _estimators;
    private readonly IMetaPolicyFactory _policies;
    private readonly ILoggerFactory? _loggerFactory;

    public RL3TrainerFactory(
        IOptions<RL3Options> options,
        IOptions<PpoOptions> ppo,
        IOptions<InnerEstimatorOptions> inner,
        IOptions<EvaluationOptions> evaluation,
        ITaskDistributionRegistry registry,
        IInnerEstimatorFactory estimators,
        IMetaPolicyFactory policies,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ppo);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(estimators);
        ArgumentNullException.ThrowIfNull(policies);

        // Reading .Value runs every validator now: bad settings fail when the factory is resolved, even without a host,
        // and later changes to the options objects cannot affect runs built by this factory.
        _ppo = ppo.Value.Clone();
        _inner = inner.Value.Clone();
        _evaluation = evaluation.Value.Clone();
        _options = OptionsCopy.Clone(options.Value);
        _registry = registry;
        _estimators = estimators;
        _policies = policies;
        _loggerFactory = loggerFactory;
    }

    public RL3Options Options => OptionsCopy.Clone(_options);

    public MetaEnvironmentSpec CreateEnvironment()
    {
        var estimators = _estimators;
        return MetaEnvironmentSpec.ForAlgorithm(_registry.Get(_options.TaskDistribution), _options.Algorithm, _options.InteractionBudget, _inner, estimators.Create);
    }

    public IMetaPolicy CreatePolicy(MetaEnvironmentSpec environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return _policies.Create(new PolicyContext(environment.ObservationSize, environment.Distribution.ActionCount, environment.InteractionBudget));
    }

    public PpoTrainer CreateTrainer(IMetaPolicy policy, MetaEnvironmentSpec environment)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        return new PpoTrainer(policy, environment, _ppo, _loggerFactory?.CreateLogger<PpoTrainer>());
    }

    public PpoTrainer CreateTrainer()
    {
        var environment = CreateEnvironment();
        var policy = CreatePolicy(environment);
        try
        {
            return CreateTrainer(policy, environment);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    public MethodResult Evaluate(IMetaPolicy policy, MetaEnvironmentSpec environment, ActionSelection selection = ActionSelection.Greedy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        return PolicyEvaluator.Evaluate(
            policy,
            environment,
            _evaluation.TaskCount,
            _evaluation.Seed,
            selection,
            maxDegreeOfParallelism: _evaluation.MaxDegreeOfParallelism);
    }
}
