using RL3.Core.Policies;

namespace RL3.Core.Training;

/// <summary>How a preset evaluates its agent on held-out test tasks.</summary>
public sealed class EvaluationPreset
{
    /// <summary>Held-out test tasks (≥ 1). Default 1000 (docs/method.md §6).</summary>
    public int TaskCount { get; set; } = 1000;

    /// <summary>Seed of the test tasks (the same tasks for every method). Default 20 240 607.</summary>
    public ulong Seed { get; set; } = 20_240_607;

    /// <summary>Evaluate every this many iterations during training (≥ 1); the final model is always evaluated. Default 50.</summary>
    public int Interval { get; set; } = 50;

    /// <summary>Greedy or sampled actions. Default greedy.</summary>
    public ActionSelection Selection { get; set; } = ActionSelection.Greedy;

    /// <summary>Throws when a field is out of range.</summary>
    public void Validate()
    {
        if (TaskCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TaskCount), TaskCount, "evaluation.taskCount must be at least 1.");
        }

        if (Interval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "evaluation.interval must be at least 1.");
        }
    }
}
