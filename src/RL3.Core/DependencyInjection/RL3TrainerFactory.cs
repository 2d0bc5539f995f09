using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RL3.Core.Evaluation;
using RL3.Core.Inner;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Tasks;
using RL3.Core.Training;

namespace RL3.Core.DependencyInjection;

/// <summary>The default <see cref="IRL3TrainerFactory"/>: composes the public constructors from the validated options.</summary>
internal sealed class RL3TrainerFactory : IRL3TrainerFactory
{
    private readonly RL3Options _options;
    private readonly PpoOptions _ppo;
    private readonly MetaEnvironmentOptions _environment;
    private readonly EvaluationOptions _evaluation;
    private readonly ITaskDistributionRegistry _registry;
    private readonly IInnerEstimatorFactory _estimators;
    private readonly IMetaPolicyFactory _policies;
    private readonly ILoggerFactory? _loggerFactory;

    public RL3TrainerFactory(
        IOptions<RL3Options> options,
        IOptions<PpoOptions> ppo,
        IOptions<MetaEnvironmentOptions> environment,
        IOptions<EvaluationOptions> evaluation,
        ITaskDistributionRegistry registry,
        IInnerEstimatorFactory estimators,
        IMetaPolicyFactory policies,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ppo);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(estimators);
        ArgumentNullException.ThrowIfNull(policies);

        // Reading .Value runs every validator now: bad settings fail when the factory is resolved, even without a host,
        // and later changes to the options objects cannot affect runs built by this factory.
        _ppo = ppo.Value.Clone();
        _environment = OptionsCopy.Clone(environment.Value);
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
        var distribution = _registry.Get(_options.TaskDistribution);
        var algorithm = _options.Algorithm;
        if (algorithm == MetaAlgorithm.Rl2)
        {
            return new MetaEnvironmentSpec(distribution, _environment, name: "RL²");
        }

        int h = _environment.InteractionBudget;
        int observationSize = distribution.ObservationSize;
        bool discrete = distribution.StateCount > 0;
        int capacity = discrete ? distribution.StateCount : h + 1;
        Func<IStateIndexer> indexer;
        if (algorithm == MetaAlgorithm.Rl3Coarse)
        {
            double radius = _options.ClusteringRadius
                ?? (TaskCatalog.TryGet(_options.TaskDistribution, out var entry) ? entry.ClusteringRadius : null)
                ?? throw new InvalidOperationException($"RL3Options.ClusteringRadius must be set for Rl3Coarse on '{_options.TaskDistribution}'.");
            indexer = () => new RadiusClusteringStateIndexer(observationSize, capacity, radius);
        }
        else if (discrete)
        {
            int states = distribution.StateCount;
            indexer = () => new DirectStateIndexer(states);
        }
        else
        {
            indexer = () => new ExactMatchStateIndexer(observationSize, capacity);
        }

        var context = new InnerEstimatorContext(distribution, algorithm, capacity, h);
        var estimators = _estimators;
        string name = algorithm switch
        {
            MetaAlgorithm.Rl3Coarse => "RL³-coarse",
            MetaAlgorithm.Rl3QLearning => "RL³ (Q-learning)",
            _ => "RL³",
        };
        return new MetaEnvironmentSpec(distribution, _environment, () => estimators.Create(context), indexer, name);
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
