namespace RL3.Core.Evaluation;

/// <summary>A two-sided confidence interval for a mean.</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
/// <param name="Method">How it was computed, e.g. <c>Student-t, df = 999</c> or <c>bootstrap percentile, 10000 resamples, seed 12345</c>.</param>
public sealed record ConfidenceInterval(double Low, double High, string Method)
{
    /// <summary>True when the interval lies entirely above or entirely below 0.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;
}
