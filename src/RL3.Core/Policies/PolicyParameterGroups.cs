namespace RL3.Core.Policies;

/// <summary>Which of a policy's parameter groups an <see cref="IPolicyOptimizer"/> operation covers.</summary>
[Flags]
public enum PolicyParameterGroups
{
    /// <summary>No parameters.</summary>
    None = 0,

    /// <summary>The actor's parameters (the network that produces the action logits).</summary>
    Actor = 1,

    /// <summary>The critic's parameters (the network that produces the value).</summary>
    Critic = 2,

    /// <summary>Actor and critic together.</summary>
    All = Actor | Critic,
}
