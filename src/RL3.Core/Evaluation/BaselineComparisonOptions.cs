namespace RL3.Core.Evaluation;

/// <summary>Options of <see cref="BaselineComparison.Run"/>: task counts, budget, seed and threads.</summary>
public sealed class BaselineComparisonOptions
{
    /// <summary>Held-out test tasks of <c>bandits-k5</c> (≥ 1). Default 1000.</summary>
    public int BanditTaskCount { get; set; } = 1000;

    /// <summary>Held-out test tasks of <c>mdp-10x5</c> (≥ 1). Default 1000.</summary>
    public int MdpTaskCount { get; set; } = 1000;

    /// <summary>Training tasks used to tune ε and c (≥ 1); ignored when <see cref="Tune"/> is false. Default 1000.</summary>
    public int TuningTaskCount { get; set; } = 1000;

    /// <summary>H for both families (≥ 1). Default 100 (the RL² paper's baselines table).</summary>
    public int InteractionBudget { get; set; } = 100;

    /// <summary>The base seed of the task splits. Default 0.</summary>
    public ulong Seed { get; set; }

    /// <summary>Threads (−1 for all cores, or ≥ 1). Results are identical for every value. Default −1.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>Whether to tune ε (ε-greedy) and c (UCB1) on training tasks; otherwise ε = 0.1 and c = 0.2. Default true.</summary>
    public bool Tune { get; set; } = true;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and the allowed range.</exception>
    public void Validate()
    {
        AtLeastOne(BanditTaskCount, nameof(BanditTaskCount));
        AtLeastOne(MdpTaskCount, nameof(MdpTaskCount));
        AtLeastOne(TuningTaskCount, nameof(TuningTaskCount));
        AtLeastOne(InteractionBudget, nameof(InteractionBudget));
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be −1 (all cores) or at least 1.");
        }
    }

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public BaselineComparisonOptions Clone() => (BaselineComparisonOptions)MemberwiseClone();

    private static void AtLeastOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
        }
    }
}
