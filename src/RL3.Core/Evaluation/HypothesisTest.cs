namespace RL3.Core.Evaluation;

/// <summary>The result of a two-sided test of "the mean (or median) paired difference is 0".</summary>
/// <param name="Name">The test, e.g. <c>paired t-test</c> or <c>Wilcoxon signed-rank</c>.</param>
/// <param name="StatisticName">The statistic's symbol: <c>t</c> or <c>z</c>.</param>
/// <param name="Statistic">The statistic's value (NaN when undefined, e.g. every difference is 0).</param>
/// <param name="PValue">Two-sided p-value (NaN when the statistic is undefined).</param>
/// <param name="Method">The details a reader needs to reproduce it (degrees of freedom, approximation, tie and zero handling).</param>
public sealed record HypothesisTest(string Name, string StatisticName, double Statistic, double PValue, string Method);
