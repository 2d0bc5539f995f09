using System.Collections.ObjectModel;

namespace RL3.Core.Training;

/// <summary>The metrics of one finished PPO iteration, by <see cref="TrainingMetricKeys"/> key.</summary>
/// <param name="Iteration">The iteration index (0-based).</param>
/// <param name="TotalSteps">Environment steps taken so far, this iteration included.</param>
/// <param name="Metrics">Every metric of the iteration.</param>
public sealed record TrainingIterationResult(int Iteration, long TotalSteps, ReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Mean meta-episode return of the iteration's rollouts.</summary>
    public double ReturnMean => Metrics[TrainingMetricKeys.ReturnMean];

    /// <summary>A metric by key, or NaN when absent.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    public double Get(string key) => Metrics.TryGetValue(key, out double v) ? v : double.NaN;
}
