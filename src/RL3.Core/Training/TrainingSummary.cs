namespace RL3.Core.Training;

/// <summary>What a call of <see cref="PpoTrainer.Train"/> did.</summary>
/// <param name="IterationsCompleted">Iterations the trainer has completed in total.</param>
/// <param name="TotalSteps">Environment steps taken in total.</param>
/// <param name="StoppedEarly">A callback or the cancellation token stopped training before the target.</param>
/// <param name="LastIteration">Metrics of the last iteration run in this call, or null when none ran.</param>
public sealed record TrainingSummary(int IterationsCompleted, long TotalSteps, bool StoppedEarly, TrainingIterationResult? LastIteration);
