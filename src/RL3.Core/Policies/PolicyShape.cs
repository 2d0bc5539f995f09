namespace RL3.Core.Policies;

/// <summary>
/// The shape of a policy network, fixed by the environment it acts in: the observation size, the number of actions and the
/// longest sequence it must process (the context length). A policy is built from its shape plus its options.
/// </summary>
/// <param name="ObservationSize">The meta-observation size (1 to 65 536).</param>
/// <param name="ActionCount">The number of discrete actions (1 to 65 536).</param>
/// <param name="ContextLength">The longest sequence (1 to 2²⁰); recurrent and feed-forward policies accept any length.</param>
public readonly record struct PolicyShape(int ObservationSize, int ActionCount, int ContextLength)
{
    /// <summary>The shape for meta-episodes of <paramref name="interactionBudget"/> steps: context length H + 1.</summary>
    /// <param name="observationSize">The meta-observation size.</param>
    /// <param name="actionCount">The number of actions.</param>
    /// <param name="interactionBudget">The interaction budget H (≥ 1).</param>
    /// <returns>The shape.</returns>
    public static PolicyShape ForInteractionBudget(int observationSize, int actionCount, int interactionBudget) =>
        new(observationSize, actionCount, interactionBudget + 1);
}
