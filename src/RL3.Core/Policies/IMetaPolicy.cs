using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// A meta-policy: a sequence model from the observation history of a meta-episode to a categorical action
/// distribution (actor) and a value estimate (critic), with incremental acting for many slots and whole-sequence
/// evaluation and back-propagation for PPO.
/// </summary>
/// <remarks>
/// <para>
/// Observations are row-major float spans (<c>[slots, ObservationSize]</c> when acting,
/// <c>[sequences, steps, ObservationSize]</c> when training). The contract uses only spans, streams and
/// <see cref="RandomSource"/>, and the policy owns its update step (<see cref="CreateOptimizer"/>), so a policy backed
/// by another engine can be an adapter and be trained without exposing its weights.
/// </para>
/// <para>
/// Training protocol: <see cref="EvaluateSequences"/> (every sequence starts from an empty history), then
/// <see cref="BackwardSequences"/> with the loss derivatives per token, which <em>adds</em> into the parameters'
/// gradients; <see cref="ZeroGrad"/> clears them; an optimiser from <see cref="CreateOptimizer"/> clips them and steps. <see cref="Act"/> between the two invalidates the cached forward pass.
/// Instances are not thread-safe.
/// </para>
/// </remarks>
public interface IMetaPolicy : IDisposable
{
    /// <summary>Width of one observation.</summary>
    int ObservationSize { get; }

    /// <summary>Number of discrete actions.</summary>
    int ActionCount { get; }

    /// <summary>The longest history (tokens per slot or per training sequence) the policy accepts; <see cref="int.MaxValue"/> when unlimited.</summary>
    int MaxSequenceLength { get; }

    /// <summary>
    /// Creates the optimiser that updates this policy's actor and critic from their gradients (the trainer's only way to
    /// change the weights). The optimiser holds its own state (e.g. Adam moments) and must be disposed before the policy.
    /// </summary>
    /// <param name="settings">Learning rate, Adam β₁/β₂/ε and the critic's weight decay (validated here).</param>
    /// <returns>A new optimiser over every actor and critic parameter.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the message names it).</exception>
    IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings);

    /// <summary>Creates the recurrent state of <paramref name="slots"/> independent slots, all reset.</summary>
    /// <param name="slots">Number of slots (≥ 1).</param>
    /// <returns>The state, usable only with this policy.</returns>
    IMetaPolicyState CreateState(int slots);

    /// <summary>
    /// Consumes one observation per slot, advances every slot's state by one token, and writes each slot's action,
    /// its log-probability and the critic's value. Allocation-free in steady state.
    /// </summary>
    /// <param name="state">A state created by this policy's <see cref="CreateState"/>.</param>
    /// <param name="observations">One observation per slot, <c>[state.Slots, ObservationSize]</c>.</param>
    /// <param name="selection">Sample or greedy.</param>
    /// <param name="random">The source of the sampling draws (required for <see cref="ActionSelection.Sample"/>, ignored for greedy).</param>
    /// <param name="actions">Receives one action per slot.</param>
    /// <param name="logProbabilities">Receives log π(action) per slot.</param>
    /// <param name="values">Receives V(history) per slot.</param>
    void Act(
        IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random,
        Span<int> actions, Span<float> logProbabilities, Span<float> values);

    /// <summary>
    /// Runs actor and critic over whole sequences (each from an empty history) and writes, per token, the
    /// log-probability of the taken action, the policy entropy and the value. Caches what <see cref="BackwardSequences"/> needs.
    /// </summary>
    /// <param name="observations">The observations, <c>[sequences, steps, ObservationSize]</c>.</param>
    /// <param name="actions">The taken actions, <c>[sequences, steps]</c>.</param>
    /// <param name="sequences">Number of sequences (≥ 1).</param>
    /// <param name="steps">Tokens per sequence (≥ 1, ≤ <see cref="MaxSequenceLength"/>).</param>
    /// <param name="logProbabilities">Receives log π(a_t | history) per token.</param>
    /// <param name="entropies">Receives the entropy of π(· | history) per token.</param>
    /// <param name="values">Receives V(history) per token.</param>
    void EvaluateSequences(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps,
        Span<float> logProbabilities, Span<float> entropies, Span<float> values);

    /// <summary>
    /// Back-propagates a loss through the last <see cref="EvaluateSequences"/> and adds its gradient into the actor's
    /// and critic's parameter gradients.
    /// </summary>
    /// <param name="logProbabilityGradients">∂loss/∂log π per token, <c>[sequences, steps]</c>.</param>
    /// <param name="entropyGradients">∂loss/∂entropy per token.</param>
    /// <param name="valueGradients">∂loss/∂value per token.</param>
    void BackwardSequences(ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients);

    /// <summary>Sets every actor and critic parameter gradient to zero.</summary>
    void ZeroGrad();

    /// <summary>Writes all parameters (actor and critic) to <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream.</param>
    void Save(Stream stream);

    /// <summary>Reads parameters written by <see cref="Save"/> of a policy with the same options; shapes must match.</summary>
    /// <param name="stream">A readable stream.</param>
    void Load(Stream stream);
}
