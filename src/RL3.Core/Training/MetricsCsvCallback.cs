namespace RL3.Core.Training;

/// <summary>Writes every iteration's metrics as one CSV row (columns: <see cref="PpoTrainer.MetricColumns"/>).</summary>
public sealed class MetricsCsvCallback : ITrainingCallback, IDisposable
{
    private readonly MetricsCsvWriter _writer;

    /// <summary>Creates (or, when resuming, appends to) the CSV file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="append">Append to an existing file instead of truncating it.</param>
    public MetricsCsvCallback(string path, bool append = false)
    {
        _writer = new MetricsCsvWriter(path, PpoTrainer.MetricColumns, append);
    }

    /// <inheritdoc />
    public bool OnIterationEnd(PpoTrainer trainer, TrainingIterationResult result, IDictionary<string, double> extraMetrics)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(extraMetrics);
        var row = new Dictionary<string, double>(result.Metrics);
        foreach (var (k, v) in extraMetrics)
        {
            row[k] = v;
        }

        _writer.WriteRow(row);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
