namespace RL3.Core.Tasks;

/// <summary>A named split of a task distribution. Splits draw their tasks from disjoint seed spaces.</summary>
public enum TaskSplit
{
    /// <summary>Tasks used for meta-training.</summary>
    Training = 0,

    /// <summary>Held-out tasks used for evaluation; never equal (as seeds) to any training task.</summary>
    Test = 1,
}
