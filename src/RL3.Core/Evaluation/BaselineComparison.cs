using System.Collections.Frozen;
using System.Collections.Immutable;
using RL3.Core.Evaluation.Baselines;
using RL3.Core.Tasks;

namespace RL3.Core.Evaluation;

/// <summary>
/// The default comparison of the classic baselines with the RL² paper's published values (docs/baselines.md):
/// <c>bandits-k5</c> and <c>mdp-10x5</c> at H = 100, held-out test tasks, paired across methods. ε (ε-greedy) and c
/// (UCB1) are tuned on training tasks first. PSRL runs with the generic prior and with a tight prior on the reward-noise
/// precision. The <c>rl3 compare</c> command calls <see cref="Run"/>; about 40 s on 2 cores for 20 000 bandit tasks,
/// 5 000 MDP tasks and 5 000 tuning tasks.
/// </summary>
public static class BaselineComparison
{
    /// <summary>The ε grid searched for posterior-mean ε-greedy.</summary>
    public static readonly ImmutableArray<double> EpsilonGrid = [0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2];

    /// <summary>The c grid searched for UCB1 (√2 is the textbook value).</summary>
    public static readonly ImmutableArray<double> ExplorationConstantGrid = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0, Math.Sqrt(2.0)];

    /// <summary>Name of the PSRL variant whose Normal-Gamma prior pins the reward-noise precision near 1 (α₀ = β₀ = 100).</summary>
    public const string PsrlTightPrecisionName = "psrl (α₀=β₀=100)";

    /// <summary>RL² paper (Duan et al. 2016), bandits k = 5, H = 100: published means by method.</summary>
    public static readonly FrozenDictionary<string, double> PaperBandits = new Dictionary<string, double>
    {
        ["random"] = 49.9,
        ["gittins"] = 78.3,
        ["thompson"] = 74.7,
        ["ucb1"] = 78.0,
        ["epsilon-greedy"] = 75.4,
        ["greedy"] = 74.8,
    }.ToFrozenDictionary();

    /// <summary>RL² paper, random MDPs 10×5, 10 episodes of 10 steps (H = 100): published means by method.</summary>
    public static readonly FrozenDictionary<string, double> PaperRandomMdps = new Dictionary<string, double>
    {
        ["random"] = 100.1,
        ["psrl"] = 138.1,
    }.ToFrozenDictionary();

    /// <summary>Runs the comparison (tuning on training tasks, then the paired test-task evaluation of both families).</summary>
    /// <param name="options">Task counts, H, seed and threads (copied and validated); null for the defaults.</param>
    /// <returns>The reports and tuning runs; <see cref="BaselineComparisonResult.ToTable"/> prints them.</returns>
    public static BaselineComparisonResult Run(BaselineComparisonOptions? options = null)
    {
        var o = options?.Clone() ?? new BaselineComparisonOptions();
        o.Validate();
        int h = o.InteractionBudget;
        var bandits = TaskCatalog.Create(TaskCatalog.BanditsK5);
        var mdps = TaskCatalog.Create(TaskCatalog.Mdp10x5);

        double epsilon = 0.1, c = 0.2;
        var tuning = ImmutableArray.CreateBuilder<TuningResult>();
        if (o.Tune)
        {
            var training = new EvaluationOptions { TaskCount = o.TuningTaskCount, InteractionBudget = h, Seed = o.Seed, MaxDegreeOfParallelism = o.MaxDegreeOfParallelism, RecordAdaptationCurve = false };
            var eps = BaselineTuner.GridSearch(bandits, "epsilon", EpsilonGrid, e => new EpsilonGreedyAgentFactory(e, GreedyValueSource.BetaPosteriorMean), training);
            var ucb = BaselineTuner.GridSearch(bandits, "c", ExplorationConstantGrid, x => new Ucb1AgentFactory(x), training);
            tuning.Add(eps);
            tuning.Add(ucb);
            epsilon = eps.BestValue;
            c = ucb.BestValue;
        }

        IMetaAgentFactory[] banditMethods =
        [
            new RandomAgentFactory(),
            new GittinsIndexAgentFactory(),
            new ThompsonSamplingAgentFactory(),
            new Ucb1AgentFactory(c, "ucb1"),
            new Ucb1AgentFactory(null, "ucb1 (c=√2, textbook)"),
            new EpsilonGreedyAgentFactory(epsilon, GreedyValueSource.BetaPosteriorMean, "epsilon-greedy"),
            new EpsilonGreedyAgentFactory(0, GreedyValueSource.BetaPosteriorMean, "greedy"),
            new EpsilonGreedyAgentFactory(0, GreedyValueSource.ModelBasedValueIteration),
            new TaskOracleAgentFactory(),
        ];
        IMetaAgentFactory[] mdpMethods =
        [
            new RandomAgentFactory(),
            new PsrlAgentFactory(),
            new PsrlAgentFactory(new PsrlOptions { RewardPriorShape = 100, RewardPriorRate = 100 }, PsrlTightPrecisionName),
            new EpsilonGreedyAgentFactory(0, GreedyValueSource.ModelBasedValueIteration),
            new TaskOracleAgentFactory(),
        ];

        var banditReport = new MetaEvaluator(new EvaluationOptions { TaskCount = o.BanditTaskCount, InteractionBudget = h, Seed = o.Seed, MaxDegreeOfParallelism = o.MaxDegreeOfParallelism })
            .Evaluate(bandits, banditMethods);
        var mdpReport = new MetaEvaluator(new EvaluationOptions { TaskCount = o.MdpTaskCount, InteractionBudget = h, Seed = o.Seed, MaxDegreeOfParallelism = o.MaxDegreeOfParallelism })
            .Evaluate(mdps, mdpMethods);
        return new BaselineComparisonResult(banditReport, mdpReport, tuning.ToImmutable());
    }

    /// <summary>The published values for a report: <paramref name="values"/> when H = 100 (where the paper's numbers apply), otherwise none.</summary>
    internal static IReadOnlyDictionary<string, double>? PaperValuesFor(EvaluationReport report, FrozenDictionary<string, double> values) =>
        report.InteractionBudget == 100 ? values : null;
}
