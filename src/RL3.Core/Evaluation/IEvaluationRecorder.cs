using RL3.Core.Meta;

namespace RL3.Core.Evaluation;

/// <summary>
/// Watches the one evaluation loop (<see cref="MetaEvaluator"/>, <c>PolicyEvaluator</c>) and records what a plain
/// mean return leaves out: the adaptation curve (<see cref="AdaptationCurveRecorder"/>), where a grid-world agent
/// went, per-step diagnostics.
/// </summary>
/// <remarks>
/// The loop calls a recorder on one thread, in task order within a wave of meta-episodes played in lockstep:
/// <see cref="OnStart"/> once, then per task <see cref="OnMetaEpisodeStart"/>, H × <see cref="OnStep"/> and
/// <see cref="OnMetaEpisodeEnd"/> (steps of the tasks of a wave interleave). <c>task</c> is the position among the
/// evaluated tasks, 0 … M − 1. A recorder must not change the environment; it sees the same numbers for every thread
/// count. Use one recorder instance per evaluated method.
/// </remarks>
public interface IEvaluationRecorder
{
    /// <summary>Called once before the first task.</summary>
    /// <param name="taskCount">M, the number of tasks that will be played.</param>
    /// <param name="interactionBudget">H, the steps of every meta-episode.</param>
    void OnStart(int taskCount, int interactionBudget);

    /// <summary>Called after a task's meta-environment was reset, before its first step.</summary>
    /// <param name="task">The task's position, 0 … M − 1.</param>
    /// <param name="environment">The reset meta-environment (its current task is the task played).</param>
    void OnMetaEpisodeStart(int task, MetaEnvironment environment);

    /// <summary>Called after every step of a task's meta-episode.</summary>
    /// <param name="task">The task's position.</param>
    /// <param name="environment">The meta-environment after the step (after any task-episode reset).</param>
    /// <param name="action">The action taken.</param>
    /// <param name="step">What the step returned.</param>
    void OnStep(int task, MetaEnvironment environment, int action, in MetaStep step);

    /// <summary>Called after the H-th step of a task's meta-episode.</summary>
    /// <param name="task">The task's position.</param>
    /// <param name="metaReturn">The meta-episode's return (the sum of its H rewards).</param>
    void OnMetaEpisodeEnd(int task, double metaReturn);
}
