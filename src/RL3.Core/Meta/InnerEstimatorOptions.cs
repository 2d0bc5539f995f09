using System.Globalization;
using RL3.Core.Inner;
using RL3.Core.Tasks;

namespace RL3.Core.Meta;

/// <summary>
/// The inner section of a run: which inner estimator RL³ runs and with which settings (γ, Laplace smoothing λ,
/// tolerance ε, sweeps, warm start, standard errors, Q-learning rate), how observations become table rows (indexer,
/// clustering radius ρ and cluster cap) and how the inner values are scaled into the observation.
/// </summary>
/// <remarks>
/// A field left null takes the default of the task family and the run: <see cref="TaskFamilySettings"/> for c, λ, ε and ρ,
/// the paper's horizon rules for the sweeps (TH, or H when TH is unbounded) and the warm start (TH ≥ 100), the estimator
/// and indexer from the algorithm. <see cref="MetaEnvironmentSpec.ForAlgorithm"/> resolves them, and only there
/// (<see cref="MetaEnvironmentSpec.Inner"/> shows the result). Ignored for RL². Preset key prefix <c>inner.</c>,
/// configuration section <c>RL3:Inner</c>.
/// </remarks>
public sealed class InnerEstimatorOptions
{
    /// <summary>Which estimator (<c>valueIteration</c> or <c>qLearning</c>); null: the algorithm's (Q-learning for RL³ (Q-learning), value iteration otherwise). Default null.</summary>
    public InnerEstimatorKind? Estimator { get; set; }

    /// <summary>Discount γ of the inner estimator, in [0, 1]. Default 0.95.</summary>
    public double Gamma { get; set; } = 0.95;

    /// <summary>Laplace smoothing λ of the learned model, finite and ≥ 0; null: the family's. Default null.</summary>
    public double? LaplaceSmoothing { get; set; }

    /// <summary>Value-iteration stopping threshold ε (max |ΔQ| of a sweep), finite and ≥ 0; null: the family's. Default null.</summary>
    public double? Epsilon { get; set; }

    /// <summary>Maximum value-iteration sweeps per update, in [1, int.MaxValue]; null: the task horizon TH (H when TH is unbounded). Default null.</summary>
    public int? MaxSweeps { get; set; }

    /// <summary>Start each solve from the previous solution; null: the paper's rule (warm start when TH ≥ 100 or unbounded). Default null.</summary>
    public bool? WarmStart { get; set; }

    /// <summary>Propagate standard errors SE_Q, SE_V through the sweeps (value iteration). Default false.</summary>
    public bool StandardErrors { get; set; }

    /// <summary>Step size α of Q-learning, in (0, 1]. Default 0.1.</summary>
    public double LearningRate { get; set; } = 0.1;

    /// <summary>Initial Q-value of Q-learning (finite). Default 0.</summary>
    public double InitialValue { get; set; }

    /// <summary>How observations become table rows; null: direct for discrete families, exact match for continuous ones, radius clustering for RL³-coarse. Default null.</summary>
    public StateIndexerKind? Indexer { get; set; }

    /// <summary>Clustering radius ρ of the radius-clustering indexer, finite and &gt; 0; null: the family's. Default null.</summary>
    public double? ClusteringRadius { get; set; }

    /// <summary>Most observations a radius cluster keeps (the cluster cap), in [1, 1024]. Default 2.</summary>
    public int MaxClusterSize { get; set; } = 2;

    /// <summary>Value scale c dividing the inner Q-values in the observation, finite and &gt; 0; null: the family's. Default null.</summary>
    public double? ValueScale { get; set; }

    /// <summary>Divisor of the visit counts in the observation, finite and &gt; 0. Default 10.</summary>
    public double VisitCountScale { get; set; } = 10.0;

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public InnerEstimatorOptions Clone() => (InnerEstimatorOptions)MemberwiseClone();

    /// <summary>Throws when a field is out of range; the message names the field, the value given and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        if (Estimator is { } estimator && !Enum.IsDefined(estimator))
        {
            Throw(nameof(Estimator), estimator, "{valueIteration, qLearning} or null");
        }

        if (!(Gamma >= 0 && Gamma <= 1))
        {
            Throw(nameof(Gamma), Gamma, "[0, 1]");
        }

        if (LaplaceSmoothing is { } lambda && !(lambda >= 0 && double.IsFinite(lambda)))
        {
            Throw(nameof(LaplaceSmoothing), lambda, "[0, ∞) (finite) or null");
        }

        if (Epsilon is { } epsilon && !(epsilon >= 0 && double.IsFinite(epsilon)))
        {
            Throw(nameof(Epsilon), epsilon, "[0, ∞) (finite) or null");
        }

        if (MaxSweeps is < 1)
        {
            Throw(nameof(MaxSweeps), MaxSweeps, "[1, int.MaxValue] or null");
        }

        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            Throw(nameof(LearningRate), LearningRate, "(0, 1]");
        }

        if (!double.IsFinite(InitialValue))
        {
            Throw(nameof(InitialValue), InitialValue, "(-∞, ∞) (finite)");
        }

        if (Indexer is { } indexer && !Enum.IsDefined(indexer))
        {
            Throw(nameof(Indexer), indexer, "{direct, exactMatch, radiusClustering} or null");
        }

        if (ClusteringRadius is { } radius && !(radius > 0 && double.IsFinite(radius)))
        {
            Throw(nameof(ClusteringRadius), radius, "(0, ∞) (finite) or null");
        }

        if (MaxClusterSize is < 1 or > 1024)
        {
            Throw(nameof(MaxClusterSize), MaxClusterSize, "[1, 1024]");
        }

        if (ValueScale is { } scale && !(scale > 0 && double.IsFinite(scale)))
        {
            Throw(nameof(ValueScale), scale, "(0, ∞) (finite) or null");
        }

        if (!(VisitCountScale > 0 && double.IsFinite(VisitCountScale)))
        {
            Throw(nameof(VisitCountScale), VisitCountScale, "(0, ∞) (finite)");
        }
    }

    /// <summary>
    /// Validates the built-in estimator these resolved settings describe and returns a builder of new instances
    /// (value iteration or Q-learning, every nullable field resolved by <see cref="MetaEnvironmentSpec.ForAlgorithm"/>).
    /// </summary>
    internal Func<IInnerRLEstimator> BuiltInEstimator(int stateCapacity, int actionCount)
    {
        if (Estimator == InnerEstimatorKind.QLearning)
        {
            var q = new TabularQLearningOptions { Gamma = Gamma, LearningRate = LearningRate, InitialValue = InitialValue };
            q.Validate();
            return () => new TabularQLearning(stateCapacity, actionCount, q);
        }

        var vi = new ModelBasedValueIterationOptions
        {
            Gamma = Gamma,
            Epsilon = Epsilon!.Value,
            MaxSweeps = MaxSweeps!.Value,
            LaplaceSmoothing = LaplaceSmoothing!.Value,
            WarmStart = WarmStart!.Value,
            StandardErrors = StandardErrors,
        };
        vi.Validate();
        return () => new ModelBasedValueIteration(stateCapacity, actionCount, vi);
    }

    private static void Throw(string field, object? value, string range) =>
        throw new ArgumentOutOfRangeException(
            field,
            value,
            string.Format(CultureInfo.InvariantCulture, "{0} must be in {1}; got {2}.", field, range, value));
}
