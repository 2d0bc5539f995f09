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
    /// The paper's setup for <paramref name="algorithm"/> on <paramref name="distribution"/>: value iteration with
    /// γ 0.95, ε and λ from the family, at most TH sweeps (H when TH is unbounded), zero start when TH &lt; 100 and warm
    /// start otherwise; direct state indexing for discrete tasks, exact match for continuous ones, radius clustering
    /// (cluster cap 2) for RL³-coarse.
    /// </summary>
    /// <param name="distribution">The task distribution.</param>
    /// <param name="algorithm">RL², RL³, RL³-coarse or RL³ with Q-learning.</param>
    /// <param name="interactionBudget">H (≥ 1).</param>
    /// <param name="valueScale">c (&gt; 0).</param>
    /// <param name="laplaceSmoothing">λ of the learned model (≥ 0).</param>
    /// <param name="valueIterationEpsilon">ε of value iteration (≥ 0).</param>
    /// <param name="clusteringRadius">ρ for RL³-coarse (required there, &gt; 0).</param>
    /// <param name="standardErrors">Propagate standard errors into the observation.</param>
    /// <returns>The recipe.</returns>
    public static MetaEnvironmentSpec ForAlgorithm(
        ITaskDistribution distribution,
        MetaAlgorithm algorithm,
        int interactionBudget,
        double valueScale,
        double laplaceSmoothing = 0.1,
        double valueIterationEpsilon = 0.01,
        double? clusteringRadius = null,
        bool standardErrors = false)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var options = new MetaEnvironmentOptions { InteractionBudget = interactionBudget, ValueScale = valueScale };
        options.Validate();
        if (algorithm == MetaAlgorithm.Rl2)
        {
            return new MetaEnvironmentSpec(distribution, options, name: "RL²");
        }

        if (!Enum.IsDefined(algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "algorithm must be Rl2, Rl3, Rl3Coarse or Rl3QLearning.");
        }

        int actions = distribution.ActionCount;
        int observationSize = distribution.ObservationSize;
        bool discrete = distribution.StateCount > 0;
        // At most H + 1 distinct states are visited in a meta-episode (the start plus one per step).
        int capacity = discrete ? distribution.StateCount : interactionBudget + 1;

        Func<IStateIndexer> indexer;
        if (algorithm == MetaAlgorithm.Rl3Coarse)
        {
            if (clusteringRadius is not { } radius || !(radius > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(clusteringRadius), clusteringRadius, "RL³-coarse needs a positive clustering radius ρ.");
            }

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

        if (algorithm == MetaAlgorithm.Rl3QLearning)
        {
            var q = new TabularQLearningOptions();
            return new MetaEnvironmentSpec(distribution, options, () => new TabularQLearning(capacity, actions, q), indexer, "RL³ (Q-learning)");
        }

        var vi = ModelBasedValueIterationOptions.ForTask(distribution.TaskHorizon, interactionBudget);
        vi.LaplaceSmoothing = laplaceSmoothing;
        vi.Epsilon = valueIterationEpsilon;
        vi.StandardErrors = standardErrors;
        vi.Validate();
        return new MetaEnvironmentSpec(
            distribution,
            options,
            () => new ModelBasedValueIteration(capacity, actions, vi),
            indexer,
            algorithm == MetaAlgorithm.Rl3Coarse ? "RL³-coarse" : "RL³");
    }

    /// <summary>The paper's setup for a built-in distribution, with the catalog's H, c, λ, ε and ρ.</summary>
    /// <param name="entry">The catalog entry.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="interactionBudget">H, or null for the family's default.</param>
    /// <returns>The recipe.</returns>
    public static MetaEnvironmentSpec ForCatalogEntry(TaskCatalogEntry entry, MetaAlgorithm algorithm, int? interactionBudget = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ForAlgorithm(
            entry.CreateDistribution(),
            algorithm,
            interactionBudget ?? entry.InteractionBudget,
            entry.ValueScale,
            entry.LaplaceSmoothing,
            entry.ValueIterationEpsilon,
            entry.ClusteringRadius);
    }
}
