using RL3.Core.Nn;

namespace RL3.Core.Policies;

/// <summary>
/// The root of a policy's module tree: children <c>actor</c> and <c>critic</c>, so that parameter names
/// (<c>actor.…</c>, <c>critic.…</c>) are the keys of saved files. Not a layer: it has no forward pass of its own.
/// </summary>
internal sealed class PolicyModules : Module
{
    public PolicyModules(Module actor, Module critic)
    {
        Actor = AddModule("actor", actor);
        Critic = AddModule("critic", critic);
    }

    public Module Actor { get; }

    public Module Critic { get; }

    public override NnTensor Forward(NnTensor input) => throw new NotSupportedException("PolicyModules only groups the actor and critic.");

    public override NnTensor Backward(NnTensor outputGradient) => throw new NotSupportedException("PolicyModules only groups the actor and critic.");
}
