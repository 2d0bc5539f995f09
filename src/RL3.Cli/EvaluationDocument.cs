using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using RL3.Core.Evaluation;

namespace RL3.Cli;

/// <summary>One method's held-out result as written to <c>evaluation.json</c>.</summary>
/// <remarks><c>ci95Low</c>/<c>ci95High</c> are the Student-t 95 % interval (<see cref="Ci95Method"/>); <see cref="Bootstrap95"/> is the bootstrap percentile interval where the returns are skewed (see <see cref="EvaluationSet.AlwaysBootstrap"/>).</remarks>
internal sealed record MethodSummary(
    string Name,
    string Kind,
    double Mean,
    double StandardError,
    double Ci95Low,
    double Ci95High,
    int TaskCount,
    ImmutableArray<AdaptationPoint> AdaptationCurve,
    ImmutableArray<double> TaskReturns)
{
    public const string LearnedKind = "learned";
    public const string BaselineKind = "baseline";

    /// <summary>How <see cref="Ci95Low"/> and <see cref="Ci95High"/> were computed (null in documents written before the field).</summary>
    public string? Ci95Method { get; init; }

    /// <summary>Sample skewness G1 of the per-task returns (null in older documents).</summary>
    public double? Skewness { get; init; }

    /// <summary>The 95 % bootstrap percentile interval of the mean, present where the returns are skewed.</summary>
    public ConfidenceInterval? Bootstrap95 { get; init; }

    /// <summary>The summary of <paramref name="result"/>: Student-t interval from its mean and standard error, skewness and (when skewed or <paramref name="alwaysBootstrap"/>) the bootstrap interval from its task returns.</summary>
    public static MethodSummary From(MethodResult result, string kind, bool alwaysBootstrap = false)
    {
        var returns = result.TaskReturns.IsDefault ? [] : result.TaskReturns;
        var interval = SampleStatistics.StudentTInterval(result.Mean, result.StandardError, returns.Length);
        var summary = returns.Length == 0 ? null : SampleStatistics.Summarize(returns.AsSpan(), alwaysBootstrap);
        bool finite = double.IsFinite(interval.Low);
        return new MethodSummary(result.Name, kind, result.Mean, result.StandardError, finite ? interval.Low : result.Mean, finite ? interval.High : result.Mean, returns.Length, result.AdaptationCurve.IsDefault ? [] : result.AdaptationCurve, returns)
        {
            Ci95Method = interval.Method,
            Skewness = summary is { Skewness: var g } && double.IsFinite(g) ? g : null,
            Bootstrap95 = summary?.Bootstrap,
        };
    }
}

/// <summary>The methods evaluated on the same M held-out tasks of one distribution (paired task by task).</summary>
internal sealed record EvaluationSet(string Distribution, int InteractionBudget, int TaskCount, ulong Seed, bool OutOfDistribution, List<MethodSummary> Methods)
{
    private List<PairedDifference>? _pairedDifferences;

    public List<GridVisits> Visits { get; init; } = [];

    /// <summary>
    /// The one rule for which families always get a bootstrap interval: grid worlds, whose returns are skewed by
    /// construction (most meta-episodes near the "never reach a goal" floor, a few far above). Other families get one
    /// where the sample's |skewness| exceeds <see cref="SampleStatistics.SkewnessThreshold"/>.
    /// </summary>
    public static bool AlwaysBootstrap(string distribution) => distribution.StartsWith("grid-", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every learned method against every other method (learned methods only once per pair): paired mean difference,
    /// Student-t interval, paired t-test, Wilcoxon signed-rank test and, where skewed, the bootstrap interval.
    /// Computed from the task returns (written to <c>evaluation.json</c>, recomputed when read back).
    /// </summary>
    public List<PairedDifference> PairedDifferences => _pairedDifferences ??= ComputePairedDifferences();

    /// <summary>The paired difference a − b over the tasks, or null when either is missing or they are not paired.</summary>
    public PairedDifference? PairedDifference(string a, string b)
    {
        var found = PairedDifferences.Find(d => d.Method == a && d.Baseline == b);
        if (found is not null)
        {
            return found;
        }

        var x = Methods.Find(m => m.Name == a);
        var y = Methods.Find(m => m.Name == b);
        if (x is null || y is null || x.TaskReturns.Length != y.TaskReturns.Length || x.TaskReturns.Length == 0)
        {
            return null;
        }

        return Core.Evaluation.PairedDifference.Of(a, b, x.TaskReturns.AsSpan(), y.TaskReturns.AsSpan(), AlwaysBootstrap(Distribution));
    }

    private List<PairedDifference> ComputePairedDifferences()
    {
        var result = new List<PairedDifference>();
        var learned = Methods.Where(m => m.Kind == MethodSummary.LearnedKind).ToList();
        foreach (var method in learned)
        {
            foreach (var other in Methods.Where(o => o.Name != method.Name && (o.Kind != MethodSummary.LearnedKind || Methods.IndexOf(o) > Methods.IndexOf(method))))
            {
                if (method.TaskReturns.Length == other.TaskReturns.Length && method.TaskReturns.Length > 0)
                {
                    result.Add(Core.Evaluation.PairedDifference.Of(method.Name, other.Name, method.TaskReturns.AsSpan(), other.TaskReturns.AsSpan(), AlwaysBootstrap(Distribution)));
                }
            }
        }

        return result;
    }
}

/// <summary>The content of <c>evaluation.json</c>.</summary>
internal sealed record EvaluationDocument(string Command, string? Preset, string? Checkpoint, int? Iteration, List<EvaluationSet> Sets)
{
    /// <summary>How the learned policy chose actions (<c>greedy</c> or <c>sample</c>); null where the document predates the field or has no learned policy.</summary>
    public string? Selection { get; init; }

    /// <summary>One sentence saying what the reader is looking at (written by <c>rl3 compare</c>; shown at the top of the report).</summary>
    public string? Summary { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static EvaluationDocument Load(string path) =>
        JsonSerializer.Deserialize<EvaluationDocument>(File.ReadAllText(path), Json) ?? throw new CliException($"'{path}' is empty");
}
