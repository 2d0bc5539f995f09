using RL3.Core.Policies;

namespace RL3.Core.DependencyInjection;

/// <summary>What an <see cref="IMetaPolicyFactory"/> needs to shape a policy network for one meta-environment.</summary>
/// <param name="ObservationSize">The meta-observation size (the environment's <c>ObservationLayout.Size</c>).</param>
/// <param name="ActionCount">The number of actions A.</param>
/// <param name="InteractionBudget">The interaction budget H; the policy's <c>MaxSequenceLength</c> must be at least H.</param>
public readonly record struct PolicyContext(int ObservationSize, int ActionCount, int InteractionBudget)
{
    /// <summary>Gets the policy shape these sizes call for (<see cref="PolicyShape.ForInteractionBudget"/>).</summary>
    public PolicyShape Shape => PolicyShape.ForInteractionBudget(ObservationSize, ActionCount, InteractionBudget);
}
