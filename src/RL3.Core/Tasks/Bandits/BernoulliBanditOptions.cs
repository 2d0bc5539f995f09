namespace RL3.Core.Tasks.Bandits;

/// <summary>Parameters of a <see cref="BernoulliBanditDistribution"/> (immutable; use <c>with</c> to vary one).</summary>
public sealed record BernoulliBanditOptions
{
    /// <summary>The largest supported number of arms.</summary>
    public const int MaxArmCount = 1 << 20;

    /// <summary>The paper's in-distribution setting: 5 arms, p_a ~ U(0, 1).</summary>
    public static BernoulliBanditOptions Default { get; } = new();

    /// <summary>The paper's out-of-distribution setting: 5 arms, p_a = 0.5 + 0.5·N(0, 1), not clipped.</summary>
    public static BernoulliBanditOptions OutOfDistribution { get; } = new() { Prior = BanditArmPrior.ShiftedNormal };

    /// <summary>Number of arms k (the action count), in [1, <see cref="MaxArmCount"/>]. Default 5.</summary>
    public int ArmCount { get; init; } = 5;

    /// <summary>How the arms' success probabilities are drawn. Default <see cref="BanditArmPrior.Uniform"/>.</summary>
    public BanditArmPrior Prior { get; init; } = BanditArmPrior.Uniform;
}
