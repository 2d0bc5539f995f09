using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace RL3.Core.Evaluation;

/// <summary>The result of <see cref="BaselineComparison.Run"/>: paired test-task reports of both families and the tuning runs.</summary>
/// <param name="Bandits">The <c>bandits-k5</c> report.</param>
/// <param name="RandomMdps">The <c>mdp-10x5</c> report.</param>
/// <param name="Tuning">The grid searches on training tasks (empty when tuning was off).</param>
public sealed record BaselineComparisonResult(EvaluationReport Bandits, EvaluationReport RandomMdps, ImmutableArray<TuningResult> Tuning)
{
    /// <summary>The plain-text tables (<c>method | mean ± s.e. | paper | paired Δ vs oracle</c>) of both families and the tuned values.</summary>
    /// <returns>The text.</returns>
    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.Append(EvaluationTableFormatter.Format(Bandits, BaselineComparison.PaperValuesFor(Bandits, BaselineComparison.PaperBandits), "oracle")).Append('\n');
        sb.Append(EvaluationTableFormatter.Format(RandomMdps, BaselineComparison.PaperValuesFor(RandomMdps, BaselineComparison.PaperRandomMdps), "oracle"));
        foreach (var tuning in Tuning)
        {
            sb.Append('\n').Append(string.Create(CultureInfo.InvariantCulture, $"tuned {tuning.ParameterName} = {tuning.BestValue:0.###} on {tuning.Report.TaskCount} training tasks ({tuning.Report.DistributionName}): "));
            sb.Append(string.Join(", ", tuning.Grid.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value:0.###} → {p.Mean:F2} ± {p.StandardError:F2}"))));
        }

        sb.Append('\n');
        return sb.ToString();
    }
}
