using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using RL3.Core.Evaluation;

namespace RL3.Cli;

/// <summary>One method's held-out result as written to <c>evaluation.json</c>.</summary>
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

    public static MethodSummary From(MethodResult result, string kind)
    {
        double half = double.IsFinite(result.StandardError) ? 1.96 * result.StandardError : 0;
        return new MethodSummary(result.Name, kind, result.Mean, result.StandardError, result.Mean - half, result.Mean + half, result.TaskReturns.Length, result.AdaptationCurve.IsDefault ? [] : result.AdaptationCurve, result.TaskReturns);
    }
}

/// <summary>The methods evaluated on the same M held-out tasks of one distribution (paired task by task).</summary>
internal sealed record EvaluationSet(string Distribution, int InteractionBudget, int TaskCount, ulong Seed, bool OutOfDistribution, List<MethodSummary> Methods)
{
    public List<GridVisits> Visits { get; init; } = [];

    /// <summary>The paired difference a − b (mean, standard error) over the tasks, or null when either is missing.</summary>
    public (double Mean, double StandardError)? PairedDifference(string a, string b)
    {
        var x = Methods.Find(m => m.Name == a);
        var y = Methods.Find(m => m.Name == b);
        if (x is null || y is null || x.TaskReturns.Length != y.TaskReturns.Length || x.TaskReturns.Length == 0)
        {
            return null;
        }

        var d = new double[x.TaskReturns.Length];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = x.TaskReturns[i] - y.TaskReturns[i];
        }

        return PolicyRollouts.MeanAndStandardError(d);
    }
}

/// <summary>The content of <c>evaluation.json</c>.</summary>
internal sealed record EvaluationDocument(string Command, string? Preset, string? Checkpoint, int? Iteration, List<EvaluationSet> Sets)
{
    /// <summary>How the learned policy chose actions (<c>greedy</c> or <c>sample</c>); null where the document predates the field or has no learned policy.</summary>
    public string? Selection { get; init; }

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
