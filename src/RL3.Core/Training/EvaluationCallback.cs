using RL3.Core.Policies;

namespace RL3.Core.Training;

/// <summary>Evaluates the policy on held-out test tasks every <c>interval</c> iterations and adds the result to the metrics.</summary>
public sealed class EvaluationCallback : ITrainingCallback
{
    private readonly int _interval;
    private readonly int _taskCount;
    private readonly ulong _seed;
    private readonly ActionSelection _selection;

    /// <summary>Creates the callback.</summary>
    /// <param name="interval">Evaluate every this many iterations (≥ 1), and after the last one.</param>
    /// <param name="taskCount">Held-out tasks per evaluation (≥ 1).</param>
    /// <param name="seed">The evaluation seed (the same tasks every time).</param>
    /// <param name="selection">Greedy or sampled actions.</param>
    public EvaluationCallback(int interval, int taskCount, ulong seed, ActionSelection selection = ActionSelection.Greedy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskCount, 1);
        _interval = interval;
        _taskCount = taskCount;
        _seed = seed;
        _selection = selection;
    }

    /// <summary>The most recent evaluation, or null before the first.</summary>
    public Evaluation.MethodResult? Last { get; private set; }

    /// <inheritdoc />
    public bool OnIterationEnd(PpoTrainer trainer, TrainingIterationResult result, IDictionary<string, double> extraMetrics)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(extraMetrics);
        if (trainer.Iteration % _interval != 0 && trainer.Iteration < trainer.Options.Iterations)
        {
            return true;
        }

        Last = PolicyEvaluator.Evaluate(trainer.Policy, trainer.Environment, _taskCount, _seed, _selection, maxDegreeOfParallelism: trainer.Options.MaxDegreeOfParallelism);
        extraMetrics[TrainingMetricKeys.EvaluationReturnMean] = Last.Mean;
        extraMetrics[TrainingMetricKeys.EvaluationReturnStandardError] = Last.StandardError;
        return true;
    }
}
