using RL3.Core.Nn;

namespace RL3.Core.Policies;

/// <summary>A policy built on the in-house engine: its parameters, for tests and benchmarks that reach into the weights.</summary>
internal interface IInHousePolicy
{
    /// <summary>The actor's parameters with their dotted names (<c>actor.…</c>).</summary>
    IReadOnlyList<KeyValuePair<string, Parameter>> ActorParameters { get; }

    /// <summary>The critic's parameters with their dotted names (<c>critic.…</c>), disjoint from the actor's.</summary>
    IReadOnlyList<KeyValuePair<string, Parameter>> CriticParameters { get; }
}
