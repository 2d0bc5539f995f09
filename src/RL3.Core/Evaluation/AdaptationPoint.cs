namespace RL3.Core.Evaluation;

/// <summary>One point of an adaptation curve: the mean return of the j-th task episode of the meta-episode across tasks.</summary>
/// <param name="EpisodeIndex">j, the task-episode index within the meta-episode (0-based).</param>
/// <param name="MeanReturn">Mean return of episode j over the tasks that reached it.</param>
/// <param name="StandardError">Standard error of that mean (NaN with fewer than 2 tasks).</param>
/// <param name="TaskCount">Number of tasks whose meta-episode reached episode j (a last, budget-truncated episode counts).</param>
public readonly record struct AdaptationPoint(int EpisodeIndex, double MeanReturn, double StandardError, int TaskCount);
