namespace RL3.Core.Policies;

/// <summary>Settings of <see cref="PolicyChecker.Check"/>.</summary>
public sealed class PolicyCheckOptions
{
    /// <summary>Acting steps of the acting-versus-sequence check (≥ 8, capped at the policy's MaxSequenceLength; default 12).</summary>
    public int Steps { get; set; } = 12;

    /// <summary>Largest allowed difference between acted and re-evaluated log-probabilities and values (finite, &gt; 0; default 1e-4).</summary>
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Seed of the random observations, actions and loss derivatives the checks feed the policy (default 77).</summary>
    public ulong Seed { get; set; } = 77;
}
