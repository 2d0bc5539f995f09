namespace RL3.Core.Training;

/// <summary>Progress reported through <see cref="IProgress{T}"/> after every iteration.</summary>
/// <param name="Iteration">Iterations finished so far.</param>
/// <param name="TotalIterations">Iterations this call of <see cref="PpoTrainer.Train"/> aims for.</param>
/// <param name="ReturnMean">Mean meta-episode return of the last iteration.</param>
/// <param name="ApproxKl">Approximate KL of the last iteration.</param>
/// <param name="StepsPerSecond">Throughput of the last iteration.</param>
public readonly record struct TrainingProgress(int Iteration, int TotalIterations, double ReturnMean, double ApproxKl, double StepsPerSecond);
