using RL3.Core.Meta;
using RL3.Core.Randomness;

namespace RL3.Core.Evaluation;

/// <summary>
/// A policy that plays meta-episodes step by step through a <see cref="MetaEnvironment"/>: a classic bandit or
/// MDP baseline, the task oracle, or a trained neural meta-policy (<see cref="PolicyAgent"/>).
/// </summary>
/// <remarks>
/// <para>Call order for one meta-episode (what <see cref="MetaEvaluator"/> does):</para>
/// <list type="number">
/// <item><c>environment.Reset(task, taskRandom, observation)</c>, then <see cref="BeginMetaEpisode"/>;</item>
/// <item>H times: <c>a = Act(observation)</c>, <c>step = environment.Step(a, next)</c>, <c>Observe(a, step, next)</c>.</item>
/// </list>
/// <para>
/// An agent may read the environment it was given (its current task, <see cref="MetaEnvironment.StepCount"/>,
/// <see cref="MetaEnvironment.TaskEpisodeStepCount"/>, <see cref="MetaEnvironment.LastReachedStateIndex"/>) and
/// the observation (for example the RL³ inner block). Oracles may use the task's true MDP
/// (<see cref="Tasks.ITabularMdp"/>); learning agents must not. All randomness comes from the stream passed to
/// <see cref="BeginMetaEpisode"/>. Instances are not thread-safe: one agent per worker (see
/// <see cref="IMetaAgentFactory"/>). <see cref="Act"/> and <see cref="Observe"/> should not allocate.
/// </para>
/// </remarks>
public interface IMetaAgent
{
    /// <summary>The method's display name (for example <c>ucb1 (c=0.2)</c>).</summary>
    string Name { get; }

    /// <summary>Forgets everything and starts a meta-episode; called right after the environment was reset.</summary>
    /// <param name="environment">The reset environment (its current task is the meta-episode's task).</param>
    /// <param name="random">The agent's own random stream for this meta-episode.</param>
    /// <exception cref="ArgumentException">The environment or its task is of a kind the agent does not support.</exception>
    void BeginMetaEpisode(MetaEnvironment environment, RandomSource random);

    /// <summary>Chooses the next action.</summary>
    /// <param name="observation">The current meta-observation (layout <see cref="MetaEnvironment.Layout"/>).</param>
    /// <returns>An action in [0, A).</returns>
    int Act(ReadOnlySpan<float> observation);

    /// <summary>Learns from the outcome of the action just taken.</summary>
    /// <param name="action">The action passed to the environment.</param>
    /// <param name="step">What the environment returned.</param>
    /// <param name="nextObservation">The observation after the step (after any task-episode reset).</param>
    void Observe(int action, in MetaStep step, ReadOnlySpan<float> nextObservation);
}
