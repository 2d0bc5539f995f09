namespace RL3.Core.Evaluation;

/// <summary>The paired difference of two methods evaluated on the same tasks with the same random streams.</summary>
/// <param name="Method">The method.</param>
/// <param name="Baseline">The method it is compared with.</param>
/// <param name="MeanDifference">Mean over tasks of (return of <paramref name="Method"/> − return of <paramref name="Baseline"/>).</param>
/// <param name="StandardError">Standard error of the per-task differences (NaN when M = 1).</param>
/// <param name="TaskCount">M.</param>
public sealed record PairedDifference(string Method, string Baseline, double MeanDifference, double StandardError, int TaskCount);
