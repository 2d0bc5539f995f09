using System.Globalization;
using RL3.Core.Training;

namespace RL3.Cli.Reports;

/// <summary>A training run's learning curve: rollout return ± s.e. per iteration, and the periodic held-out evaluations.</summary>
internal sealed record TrainingCurve(string Name, IReadOnlyList<ChartPoint> Training, IReadOnlyList<ChartPoint> Evaluation)
{
    /// <summary>Reads <c>metrics.csv</c>; the rollout s.e. is the return standard deviation / √(meta-episodes per iteration).</summary>
    public static TrainingCurve Read(string name, string metricsPath, int episodesPerIteration)
    {
        var training = new List<ChartPoint>();
        var evaluation = new List<ChartPoint>();
        if (!File.Exists(metricsPath))
        {
            return new TrainingCurve(name, training, evaluation);
        }

        using var reader = new StreamReader(metricsPath);
        string? header = reader.ReadLine();
        if (header is null)
        {
            return new TrainingCurve(name, training, evaluation);
        }

        var columns = header.Split(',');
        int it = Array.IndexOf(columns, TrainingMetricKeys.Iteration);
        int mean = Array.IndexOf(columns, TrainingMetricKeys.ReturnMean);
        int std = Array.IndexOf(columns, TrainingMetricKeys.ReturnStd);
        int evalMean = Array.IndexOf(columns, TrainingMetricKeys.EvaluationReturnMean);
        int evalSe = Array.IndexOf(columns, TrainingMetricKeys.EvaluationReturnStandardError);
        double root = Math.Sqrt(Math.Max(1, episodesPerIteration));
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var cells = line.Split(',');
            double x = Cell(cells, it) + 1;
            double y = Cell(cells, mean);
            if (double.IsFinite(x) && double.IsFinite(y))
            {
                training.Add(new ChartPoint(x, y, Cell(cells, std) / root));
            }

            double e = Cell(cells, evalMean);
            if (double.IsFinite(x) && double.IsFinite(e))
            {
                evaluation.Add(new ChartPoint(x, e, Cell(cells, evalSe)));
            }
        }

        return new TrainingCurve(name, training, evaluation);
    }

    private static double Cell(string[] cells, int index) =>
        index >= 0 && index < cells.Length && double.TryParse(cells[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
}

/// <summary>Everything one <c>report.html</c> shows.</summary>
internal sealed class ReportModel
{
    public required string Title { get; init; }

    public List<KeyValuePair<string, string>> Facts { get; } = [];

    public List<TrainingCurve> Runs { get; } = [];

    public EvaluationDocument? Evaluation { get; init; }

    public List<string> Notes { get; } = [];
}
