using RL3.Core.Inner;
using RL3.Core.Tasks;

namespace RL3.Core.Meta;

/// <summary>
/// A recipe for identical meta-environments: the task distribution, the meta options and — for RL³ — how to
/// build each environment's own inner estimator and state indexer. Batches, trainers and evaluators call
/// <see cref="Create"/> once per slot.
/// </summary>
public sealed class MetaEnvironmentSpec
{
    private readonly MetaEnvironmentOptions _options;

    /// <summary>Creates a recipe from explicit parts (the plug-in path for user estimators and indexers).</summary>
    /// <param name="distribution">The task distribution.</param>
    /// <param name="options">H and the scales; copied and validated.</param>
    /// <param name="estimatorFactory">Builds one inner estimator per environment, or null for RL².</param>
    /// <param name="indexerFactory">Builds one state indexer per environment; required with an estimator.</param>
    /// <param name="name">A short description of the algorithm (for logs and tables).</param>
    public MetaEnvironmentSpec(
        ITaskDistribution distribution,
        MetaEnvironmentOptions options,
        Func<IInnerRLEstimator>? estimatorFactory = null,
        Func<IStateIndexer>? indexerFactory = null,
        string? name = null)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (estimatorFactory is not null && indexerFactory is null)
        {
            throw new ArgumentException("An estimator factory needs an indexer factory.", nameof(indexerFactory));
        }

        Distribution = distribution;
        _options = new MetaEnvironmentOptions
        {
            InteractionBudget = options.InteractionBudget,
            ValueScale = options.ValueScale,
            VisitCountScale = options.VisitCountScale,
        };
        EstimatorFactory = estimatorFactory;
        IndexerFactory = estimatorFactory is null ? null : indexerFactory;
        Name = name ?? (estimatorFactory is null ? "RL²" : "RL³");
        Layout = new ObservationLayout(distribution.ActionCount, distribution.ObservationSize, estimatorFactory is not null);
    }

    /// <summary>The task distribution.</summary>
    public ITaskDistribution Distribution { get; }

    /// <summary>The interaction budget H.</summary>
    public int InteractionBudget => _options.InteractionBudget;

    /// <summary>The value scale c.</summary>
    public double ValueScale => _options.ValueScale;

    /// <summary>Builds each environment's estimator (null for RL²).</summary>
    public Func<IInnerRLEstimator>? EstimatorFactory { get; }

    /// <summary>Builds each environment's state indexer (null for RL²).</summary>
    public Func<IStateIndexer>? IndexerFactory { get; }

    /// <summary>A short description (RL², RL³, RL³-coarse, …).</summary>
    public string Name { get; }

    /// <summary>The observation layout of the environments.</summary>
    public ObservationLayout Layout { get; }

    /// <summary>Observation size of the environments.</summary>
    public int ObservationSize => Layout.Size;

    /// <summary>Builds one meta-environment with its own estimator and indexer.</summary>
    /// <returns>A new environment.</returns>
    public MetaEnvironment Create() =>
        new(Distribution, _options, EstimatorFactory?.Invoke(), IndexerFactory?.Invoke());

    /// <summary>
    /// Gets the inner settings this recipe was composed with, every family default applied (null for RL² and for recipes
    /// built from explicit parts).
    /// </summary>
    public InnerEstimatorOptions? Inner { get; private init; }

    /// <summary>
    /// Composes the meta-environment of <paramref name="algorithm"/> on <paramref name="distribution"/>: the one place where a
    /// run's inner settings meet the task family's defaults (<see cref="TaskFamilySettings.For"/>) and the paper's horizon rules.
    /// </summary>
    /// <remarks>
    /// Every field of <paramref name="inner"/> left null is resolved here: c, λ, ε and ρ from the family, at most TH sweeps
    /// (H when TH is unbounded), zero start when TH &lt; 100 and warm start otherwise, value iteration (Q-learning for
    /// <see cref="MetaAlgorithm.Rl3QLearning"/>), direct state indexing for discrete families, exact match for continuous ones
    /// and radius clustering for RL³-coarse. Table capacity: the family's state count, or H + 1 for continuous observations.
    /// The CLI, presets and <c>AddRL3()</c> all build their environments here.
    /// </remarks>
    /// <param name="distribution">The task distribution.</param>
    /// <param name="algorithm">RL², RL³, RL³-coarse or RL³ with Q-learning.</param>
    /// <param name="interactionBudget">H (≥ 1).</param>
    /// <param name="inner">The inner section (copied and validated); null for every default.</param>
    /// <param name="estimatorFactory">Builds a user estimator in place of the built-in one (RL³ variants only), or null.</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="ArgumentOutOfRangeException">H, the algorithm or an inner setting is out of range.</exception>
    /// <exception cref="ArgumentException">The inner settings contradict the algorithm or the family (e.g. RL³-coarse without a radius).</exception>
    public static MetaEnvironmentSpec ForAlgorithm(
        ITaskDistribution distribution,
        MetaAlgorithm algorithm,
        int interactionBudget,
        InnerEstimatorOptions? inner = null,
        Func<InnerEstimatorContext, IInnerRLEstimator>? estimatorFactory = null)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "algorithm must be Rl2, Rl3, Rl3Coarse or Rl3QLearning.");
        }

        var settings = Resolve(distribution, algorithm, interactionBudget, inner);
        var options = new MetaEnvironmentOptions
        {
            InteractionBudget = interactionBudget,
            ValueScale = settings.ValueScale!.Value,
            VisitCountScale = settings.VisitCountScale,
        };
        options.Validate();
        if (algorithm == MetaAlgorithm.Rl2)
        {
            return new MetaEnvironmentSpec(distribution, options, name: "RL²");
        }

        int actions = distribution.ActionCount;
        int observationSize = distribution.ObservationSize;
        int states = distribution.StateCount;

        // At most H + 1 distinct states are visited in a meta-episode (the start plus one per step).
        int capacity = states > 0 ? states : interactionBudget + 1;
        int clusterSize = settings.MaxClusterSize;
        double radius = settings.ClusteringRadius ?? 0;
        Func<IStateIndexer> indexer = settings.Indexer switch
        {
            StateIndexerKind.Direct => () => new DirectStateIndexer(states),
            StateIndexerKind.RadiusClustering => () => new RadiusClusteringStateIndexer(observationSize, capacity, radius, clusterSize),
            _ => () => new ExactMatchStateIndexer(observationSize, capacity),
        };

        var context = new InnerEstimatorContext(distribution, algorithm, capacity, interactionBudget) { Options = settings.Clone() };
        var estimator = estimatorFactory is null
            ? settings.BuiltInEstimator(capacity, actions)
            : () => estimatorFactory(context);
        string name = algorithm == MetaAlgorithm.Rl3Coarse ? "RL³-coarse"
            : settings.Estimator == InnerEstimatorKind.QLearning ? "RL³ (Q-learning)"
            : "RL³";
        return new MetaEnvironmentSpec(distribution, options, estimator, indexer, name) { Inner = settings };
    }

    /// <summary>The paper's setup for a built-in distribution: <see cref="ForAlgorithm"/> with the family's H unless given.</summary>
    /// <param name="entry">The catalog entry.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="interactionBudget">H, or null for the family's usual H.</param>
    /// <returns>The recipe.</returns>
    public static MetaEnvironmentSpec ForCatalogEntry(TaskCatalogEntry entry, MetaAlgorithm algorithm, int? interactionBudget = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ForAlgorithm(entry.CreateDistribution(), algorithm, interactionBudget ?? entry.InteractionBudget);
    }

    /// <summary>Applies the family's settings and the paper's rules to every unset field of <paramref name="inner"/>.</summary>
    private static InnerEstimatorOptions Resolve(ITaskDistribution distribution, MetaAlgorithm algorithm, int interactionBudget, InnerEstimatorOptions? inner)
    {
        if (interactionBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interactionBudget), interactionBudget, "interactionBudget (H) must be at least 1.");
        }

        var o = inner?.Clone() ?? new InnerEstimatorOptions();
        o.Validate();
        var family = TaskFamilySettings.For(distribution);
        int taskHorizon = distribution.TaskHorizon;
        if (algorithm == MetaAlgorithm.Rl3QLearning && o.Estimator == InnerEstimatorKind.ValueIteration)
        {
            throw new ArgumentException("inner.estimator valueIteration contradicts algorithm rl3QLearning; leave inner.estimator unset or pick algorithm rl3.", nameof(inner));
        }

        o.Estimator ??= algorithm == MetaAlgorithm.Rl3QLearning ? InnerEstimatorKind.QLearning : InnerEstimatorKind.ValueIteration;
        o.ValueScale ??= family.ValueScale;
        o.LaplaceSmoothing ??= family.LaplaceSmoothing;
        o.Epsilon ??= family.ValueIterationEpsilon;
        o.ClusteringRadius ??= family.ClusteringRadius;
        o.MaxSweeps ??= taskHorizon > 0 ? taskHorizon : interactionBudget;
        o.WarmStart ??= ModelBasedValueIterationOptions.DefaultWarmStart(taskHorizon);
        o.Indexer ??= algorithm == MetaAlgorithm.Rl3Coarse ? StateIndexerKind.RadiusClustering
            : distribution.StateCount > 0 ? StateIndexerKind.Direct
            : StateIndexerKind.ExactMatch;
        if (algorithm == MetaAlgorithm.Rl3Coarse && o.Indexer != StateIndexerKind.RadiusClustering)
        {
            throw new ArgumentException($"algorithm rl3Coarse clusters observations; inner.indexer {o.Indexer} contradicts it (leave it unset).", nameof(inner));
        }

        if (o.Indexer == StateIndexerKind.RadiusClustering && o.ClusteringRadius is null && algorithm != MetaAlgorithm.Rl2)
        {
            throw new ArgumentException($"radius clustering (RL³-coarse) needs a clustering radius ρ in (0, ∞): set inner.clusteringRadius; task family '{distribution.Name}' declares none.", nameof(inner));
        }

        if (o.Indexer == StateIndexerKind.Direct && distribution.StateCount <= 0 && algorithm != MetaAlgorithm.Rl2)
        {
            throw new ArgumentException($"inner.indexer direct needs a discrete task family; '{distribution.Name}' has continuous observations (use exactMatch or radiusClustering).", nameof(inner));
        }

        return o;
    }
}
