namespace RL3.Core.Tasks.RandomMdps;

/// <summary>Parameters of a <see cref="RandomMdpDistribution"/> (immutable; use <c>with</c> to vary one).</summary>
public sealed record RandomMdpOptions
{
    /// <summary>The largest supported number of states.</summary>
    public const int MaxStateCount = 1000;

    /// <summary>The largest supported number of actions.</summary>
    public const int MaxActionCount = 100;

    /// <summary>The paper's in-distribution setting: 10 states, 5 actions, TH = 10, α = 1.</summary>
    public static RandomMdpOptions Default { get; } = new();

    /// <summary>The paper's out-of-distribution setting: as <see cref="Default"/> with α = 0.25 (sparser transitions).</summary>
    public static RandomMdpOptions OutOfDistribution { get; } = new() { DirichletConcentration = 0.25 };

    /// <summary>Number of states S, in [1, <see cref="MaxStateCount"/>]. Default 10.</summary>
    public int StateCount { get; init; } = 10;

    /// <summary>Number of actions A, in [1, <see cref="MaxActionCount"/>]. Default 5.</summary>
    public int ActionCount { get; init; } = 5;

    /// <summary>Task horizon TH (steps per episode), at least 1. Default 10.</summary>
    public int TaskHorizon { get; init; } = 10;

    /// <summary>Concentration α of the symmetric Dirichlet(α·1) each T(·|s,a) is drawn from; finite, &gt; 0. Default 1.</summary>
    public double DirichletConcentration { get; init; } = 1.0;

    /// <summary>Mean of the normal the mean rewards R(s,a) are drawn from; finite. Default 1.</summary>
    public double MeanRewardMean { get; init; } = 1.0;

    /// <summary>Standard deviation of the normal the mean rewards R(s,a) are drawn from; finite, ≥ 0. Default 1.</summary>
    public double MeanRewardStandardDeviation { get; init; } = 1.0;

    /// <summary>Standard deviation of the Gaussian noise added to each step's reward; finite, ≥ 0. Default 1.</summary>
    public double RewardNoiseStandardDeviation { get; init; } = 1.0;
}
