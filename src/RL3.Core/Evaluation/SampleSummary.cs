namespace RL3.Core.Evaluation;

/// <summary>Mean, standard error and 95 % intervals of one sample (one method's per-task returns, or per-task paired differences).</summary>
/// <param name="Count">Sample size n.</param>
/// <param name="Mean">Sample mean.</param>
/// <param name="StandardError">Sample standard deviation / √n (NaN when n &lt; 2).</param>
/// <param name="Skewness">Adjusted Fisher–Pearson sample skewness G1 (NaN when n &lt; 3 or every value is equal).</param>
/// <param name="StudentT">The 95 % Student-t interval mean ± t(0.975, n − 1) · s.e. (NaN bounds when n &lt; 2).</param>
/// <param name="Bootstrap">
/// The 95 % bootstrap percentile interval, present when the sample is skewed (see <see cref="SampleStatistics.IsSkewed"/>) or
/// the caller asked for it; null otherwise.
/// </param>
public sealed record SampleSummary(int Count, double Mean, double StandardError, double Skewness, ConfidenceInterval StudentT, ConfidenceInterval? Bootstrap);
