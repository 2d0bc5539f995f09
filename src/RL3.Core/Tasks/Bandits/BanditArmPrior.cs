namespace RL3.Core.Tasks.Bandits;

/// <summary>How the success probabilities p_a of a Bernoulli bandit's arms are drawn.</summary>
public enum BanditArmPrior
{
    /// <summary>In-distribution: p_a ~ U(0, 1).</summary>
    Uniform = 0,

    /// <summary>
    /// Out-of-distribution (RL³ paper): p_a = 0.5 + 0.5·N(0, 1), not clipped. An arm with p_a &lt; 0 never pays
    /// and one with p_a &gt; 1 always pays.
    /// </summary>
    ShiftedNormal = 1,
}
