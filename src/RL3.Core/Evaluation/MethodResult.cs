using System.Collections.Immutable;

namespace RL3.Core.Evaluation;

/// <summary>The result of one method over the evaluated tasks.</summary>
/// <param name="Name">The method's name.</param>
/// <param name="Mean">Mean meta-episode return (sum of the H rewards) over the tasks.</param>
/// <param name="StandardError">Standard error of the mean (sample standard deviation / √M; NaN when M = 1).</param>
/// <param name="TaskReturns">The return on each task, in task order (paired with every other method of the report).</param>
/// <param name="AdaptationCurve">Mean return per task-episode index (empty when not recorded or when the family has no task horizon).</param>
public sealed record MethodResult(string Name, double Mean, double StandardError, ImmutableArray<double> TaskReturns, ImmutableArray<AdaptationPoint> AdaptationCurve);
