namespace RL3.Core.Policies;

/// <summary>How <see cref="IMetaPolicy.Act"/> picks an action from the policy's distribution.</summary>
public enum ActionSelection
{
    /// <summary>Sample from the categorical distribution (one uniform draw per slot, slots in order).</summary>
    Sample = 0,

    /// <summary>Take the most probable action (lowest index on ties); no randomness is used.</summary>
    Greedy = 1,
}
