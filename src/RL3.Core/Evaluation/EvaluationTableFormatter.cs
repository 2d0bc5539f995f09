using System.Globalization;
using System.Text;

namespace RL3.Core.Evaluation;

/// <summary>Formats an <see cref="EvaluationReport"/> as a plain-text table for the console: <c>method | mean ± s.e. | paper</c>.</summary>
public static class EvaluationTableFormatter
{
    /// <summary>Formats the report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="paperValues">Published values by method name (shown in the <c>paper</c> column; "–" when absent); null for none.</param>
    /// <param name="baseline">Optional method name: adds a column with each method's paired difference to it (± s.e.).</param>
    /// <returns>The table, one line per method after a title and a header, with a trailing newline.</returns>
    /// <exception cref="KeyNotFoundException"><paramref name="baseline"/> is not a method of the report.</exception>
    public static string Format(EvaluationReport report, IReadOnlyDictionary<string, double>? paperValues = null, string? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var culture = CultureInfo.InvariantCulture;
        if (baseline is not null)
        {
            _ = report[baseline];
        }

        var rows = new List<string[]>
        {
            baseline is null
                ? ["method", "mean ± s.e.", "paper"]
                : ["method", "mean ± s.e.", "paper", $"paired Δ vs {baseline}"],
        };

        foreach (var method in report.Methods)
        {
            string meanText = string.Create(culture, $"{method.Mean:F2} ± {FormatSe(method.StandardError)}");
            string paper = paperValues is not null && paperValues.TryGetValue(method.Name, out double value)
                ? value.ToString("0.0", culture)
                : "–";
            if (baseline is null)
            {
                rows.Add([method.Name, meanText, paper]);
            }
            else
            {
                string delta = method.Name == baseline
                    ? "–"
                    : FormatDelta(report.Compare(method.Name, baseline));
                rows.Add([method.Name, meanText, paper, delta]);
            }
        }

        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (var row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var sb = new StringBuilder();
        sb.Append(string.Create(culture, $"{report.DistributionName}, H = {report.InteractionBudget}, {report.TaskCount} {report.Split.ToLowerInvariant()} tasks (seed {report.Seed}, first task {report.FirstTaskIndex})")).Append('\n');
        for (int r = 0; r < rows.Count; r++)
        {
            AppendRow(sb, rows[r], widths);
            if (r == 0)
            {
                for (int c = 0; c < columns; c++)
                {
                    sb.Append(c == 0 ? string.Empty : "-+-").Append(new string('-', widths[c]));
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();

        string FormatDelta(PairedDifference d) => string.Create(culture, $"{d.MeanDifference:+0.00;-0.00;0.00} ± {FormatSe(d.StandardError)}");
    }

    private static string FormatSe(double se) => double.IsNaN(se) ? "n/a" : se.ToString("F2", CultureInfo.InvariantCulture);

    private static void AppendRow(StringBuilder sb, string[] row, int[] widths)
    {
        for (int c = 0; c < row.Length; c++)
        {
            if (c > 0)
            {
                sb.Append(" | ");
            }

            sb.Append(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c]));
        }

        sb.Append('\n');
    }
}
