namespace RL3.Core.Training;

/// <summary>Saves a checkpoint every <c>interval</c> iterations (and after the last one) to a fixed path, atomically.</summary>
public sealed class CheckpointCallback : ITrainingCallback
{
    private readonly string _path;
    private readonly int _interval;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The checkpoint file (replaced atomically each time).</param>
    /// <param name="interval">Save every this many iterations (≥ 1).</param>
    public CheckpointCallback(string path, int interval)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        _path = path;
        _interval = interval;
    }

    /// <inheritdoc />
    public bool OnIterationEnd(PpoTrainer trainer, TrainingIterationResult result, IDictionary<string, double> extraMetrics)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (trainer.Iteration % _interval == 0 || trainer.Iteration >= trainer.Options.Iterations)
        {
            trainer.SaveCheckpoint(_path);
        }

        return true;
    }
}
