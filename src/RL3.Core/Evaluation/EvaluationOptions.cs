namespace RL3.Core.Evaluation;

/// <summary>Options of a paired evaluation (<see cref="MetaEvaluator"/>).</summary>
public sealed class EvaluationOptions
{
    /// <summary>M, the number of tasks (≥ 1). Default 1000 (docs/method.md §6).</summary>
    public int TaskCount { get; set; } = 1000;

    /// <summary>H, the interaction budget of every meta-episode (≥ 1). Default 100.</summary>
    public int InteractionBudget { get; set; } = 100;

    /// <summary>The base seed of the task split: task i is drawn from the split's stream i under this seed, and so are its dynamics and the agents' streams.</summary>
    public ulong Seed { get; set; }

    /// <summary>Index of the first task of the split (≥ 0), so disjoint blocks of a split can be evaluated. Default 0.</summary>
    public long FirstTaskIndex { get; set; }

    /// <summary>Threads (−1 for all cores, or ≥ 1). Results are bit-identical for every value. Default −1.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>Whether to record the adaptation curve (mean return per task-episode index) for families with a task horizon. Default true.</summary>
    public bool RecordAdaptationCurve { get; set; } = true;

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public EvaluationOptions Clone() => (EvaluationOptions)MemberwiseClone();

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and the allowed range.</exception>
    public void Validate()
    {
        if (TaskCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TaskCount), TaskCount, "TaskCount (M) must be at least 1.");
        }

        if (InteractionBudget < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InteractionBudget), InteractionBudget, "InteractionBudget (H) must be at least 1.");
        }

        if (FirstTaskIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstTaskIndex), FirstTaskIndex, "FirstTaskIndex must be ≥ 0.");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be −1 (all cores) or at least 1.");
        }
    }
}
