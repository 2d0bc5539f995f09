namespace RL3.Core.Training;

/// <summary>Hooks into <see cref="PpoTrainer.Train"/>: logging, checkpoints, evaluation, early stopping.</summary>
public interface ITrainingCallback
{
    /// <summary>Called after every iteration.</summary>
    /// <param name="trainer">The trainer (its state is consistent: a checkpoint may be saved here).</param>
    /// <param name="result">The iteration's metrics; a callback may add metrics to <paramref name="extraMetrics"/>.</param>
    /// <param name="extraMetrics">Metrics the callback computed (for example evaluation returns), merged into the iteration's row.</param>
    /// <returns>True to continue training, false to stop after this iteration.</returns>
    bool OnIterationEnd(PpoTrainer trainer, TrainingIterationResult result, IDictionary<string, double> extraMetrics);
}
