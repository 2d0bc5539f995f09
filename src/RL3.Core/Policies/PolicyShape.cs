namespace RL3.Core.Policies;

/// <summary>
/// The shape of a policy network, fixed by the environment it acts in: the observation size, the number of actions and the
/// longest sequence it must process (the context length). A policy is built from its shape plus its options.
/// </summary>
/// <param name="ObservationSize">The meta-observation size (1 to 65 536).</param>
/// <param name="ActionCount">The number of discrete actions (1 to 65 536).</param>
/// <param name="ContextLength">
/// The longest sequence (1 to 2²⁰; the transformer's positional table), or 0 (default) for none: recurrent and
/// feed-forward policies accept any length and ignore it.
/// </param>
public readonly record struct PolicyShape(int ObservationSize, int ActionCount, int ContextLength = 0)
{
    /// <summary>The shape for meta-episodes of <paramref name="interactionBudget"/> steps: context length H + 1.</summary>
    /// <param name="observationSize">The meta-observation size.</param>
    /// <param name="actionCount">The number of actions.</param>
    /// <param name="interactionBudget">The interaction budget H (≥ 1).</param>
    /// <returns>The shape.</returns>
    public static PolicyShape ForInteractionBudget(int observationSize, int actionCount, int interactionBudget) =>
        new(observationSize, actionCount, interactionBudget + 1);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field outside its range.</summary>
    /// <param name="requiresContextLength">Whether the policy needs a bounded context (1 to 2²⁰) rather than any value 0 to 2²⁰.</param>
    internal void Validate(bool requiresContextLength)
    {
        const string T = nameof(PolicyShape);
        Guard.InRange(ObservationSize, 1, 65536, "shape", T + "." + nameof(ObservationSize));
        Guard.InRange(ActionCount, 1, 65536, "shape", T + "." + nameof(ActionCount));
        Guard.InRange(ContextLength, requiresContextLength ? 1 : 0, 1 << 20, "shape", T + "." + nameof(ContextLength));
    }
}
