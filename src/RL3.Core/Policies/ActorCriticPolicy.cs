using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// A base for meta-policies built on the in-house engine (<c>RL3.Core.Nn</c>): a separate actor network (observations
/// → action logits) and critic network (observations → value). The base implements the whole
/// <see cref="IMetaPolicy"/> contract around three network passes a subclass supplies.
/// </summary>
/// <remarks>
/// <para>
/// The base does the argument checks (the messages name the argument), copies observations into engine tensors, turns
/// the actor's logits into actions, log-probabilities and entropies (categorical head), turns the per-token loss
/// derivatives into logit and value gradients, advances the state after each step, saves and loads every parameter
/// with the observation size and action count, and creates the optimiser (an Adam per network, the critic with coupled
/// weight decay). A subclass supplies:
/// </para>
/// <list type="bullet">
/// <item><see cref="CreateState"/>: usually <c>NewState(slots, …)</c> with the hidden states or attention caches it needs;</item>
/// <item><see cref="StepNetworks"/>: one token per slot, <c>[slots, ObservationSize]</c> → logits <c>[slots, A]</c>
/// and values <c>[slots, 1]</c>, reading and updating the state;</item>
/// <item><see cref="ForwardNetworks"/>: whole sequences <c>[B, T, ObservationSize]</c> from an empty history →
/// <c>[B, T, A]</c> and <c>[B, T, 1]</c>, caching what the backward pass needs;</item>
/// <item><see cref="BackwardNetworks"/>: back-propagates the two output gradients through the last forward pass,
/// adding into the parameters' gradients.</item>
/// </list>
/// <para>
/// Parameter names must start with <c>actor.</c> or <c>critic.</c> as the two modules give them. Check a new policy
/// with <see cref="PolicyChecker.Check"/>. <see cref="GruPolicy"/>, <see cref="TransformerPolicy"/> and
/// <see cref="MlpPolicy"/> are built on this class.
/// </para>
/// </remarks>
public abstract class ActorCriticPolicy : IMetaPolicy, IInHousePolicy, IEvaluatedLogits
{
    private readonly ActorCriticCore _core;

    /// <summary>Wraps the two networks; the policy owns and disposes them.</summary>
    /// <param name="actor">The actor network (its output width is <paramref name="actionCount"/>).</param>
    /// <param name="critic">The critic network (output width 1).</param>
    /// <param name="observationSize">Width of one observation (≥ 1).</param>
    /// <param name="actionCount">Number of discrete actions (≥ 1).</param>
    /// <exception cref="ArgumentNullException">A network is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    protected ActorCriticPolicy(Module actor, Module critic, int observationSize, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(critic);
        Guard.AtLeast(observationSize, 1, nameof(observationSize));
        Guard.AtLeast(actionCount, 1, nameof(actionCount));
        _core = new ActorCriticCore(GetType().Name, actor, critic, observationSize, actionCount);
    }

    /// <inheritdoc/>
    public int ObservationSize => _core.ObservationSize;

    /// <inheritdoc/>
    public int ActionCount => _core.ActionCount;

    /// <inheritdoc/>
    public abstract int MaxSequenceLength { get; }

    /// <inheritdoc/>
    IReadOnlyList<KeyValuePair<string, Parameter>> IInHousePolicy.ActorParameters => _core.ActorParameters;

    /// <inheritdoc/>
    IReadOnlyList<KeyValuePair<string, Parameter>> IInHousePolicy.CriticParameters => _core.CriticParameters;

    /// <inheritdoc/>
    ReadOnlySpan<float> IEvaluatedLogits.EvaluatedLogits => _core.EvaluatedLogits;

    /// <inheritdoc/>
    public IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings) => _core.CreateOptimizer(settings);

    /// <inheritdoc/>
    public abstract IMetaPolicyState CreateState(int slots);

    /// <inheritdoc/>
    public void Act(
        IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random,
        Span<int> actions, Span<float> logProbabilities, Span<float> values)
    {
        var s = _core.BeginAct(this, state, observations, selection, random, actions, logProbabilities, values, out var obs);
        _core.InvalidateEvaluation();
        var (logits, value) = StepNetworks(obs, s);
        _core.EndAct(s, logits, value, selection, random, actions, logProbabilities, values);
    }

    /// <inheritdoc/>
    public void EvaluateSequences(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps,
        Span<float> logProbabilities, Span<float> entropies, Span<float> values)
    {
        var obs = _core.BeginEvaluate(observations, actions, sequences, steps, MaxSequenceLength, logProbabilities, entropies, values);
        var (logits, value) = ForwardNetworks(obs);
        _core.EndEvaluate(sequences, logits, value, logProbabilities, entropies, values);
    }

    /// <inheritdoc/>
    public void BackwardSequences(ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
    {
        _core.BeginBackward(logProbabilityGradients, entropyGradients, valueGradients, out var dLogits, out var dValues);
        BackwardNetworks(dLogits, dValues);
    }

    /// <inheritdoc/>
    public void ZeroGrad() => _core.ZeroGrad();

    /// <inheritdoc/>
    public void Save(Stream stream) => _core.Save(stream);

    /// <inheritdoc/>
    public void Load(Stream stream) => _core.Load(stream);

    /// <summary>Releases the networks' buffers.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a state of <paramref name="slots"/> reset slots owned by this policy (for <see cref="CreateState"/>).</summary>
    /// <param name="slots">Number of slots (≥ 1).</param>
    /// <param name="hiddenSize">Width of one slot's hidden state per network (0 for none).</param>
    /// <param name="hiddenStates">Number of hidden-state arrays (for example 2: actor and critic).</param>
    /// <param name="caches">Attention caches, or null for none.</param>
    /// <returns>The state.</returns>
    protected ActorCriticPolicyState NewState(int slots, int hiddenSize = 0, int hiddenStates = 0, AttentionCache[]? caches = null)
    {
        Guard.AtLeast(slots, 1, nameof(slots));
        Guard.AtLeast(hiddenSize, 0, nameof(hiddenSize));
        Guard.AtLeast(hiddenStates, 0, nameof(hiddenStates));
        return new ActorCriticPolicyState(this, slots, hiddenSize, hiddenStates, caches);
    }

    /// <summary>One token for every slot: the actor's logits and the critic's values, updating the state's memory.</summary>
    /// <param name="observations">The observations, <c>[slots, ObservationSize]</c>.</param>
    /// <param name="state">The state (positions not yet advanced; the base advances them afterwards).</param>
    /// <returns>Logits <c>[slots, ActionCount]</c> and values <c>[slots, 1]</c>; read before the next network call.</returns>
    protected abstract (NnTensor Logits, NnTensor Values) StepNetworks(NnTensor observations, ActorCriticPolicyState state);

    /// <summary>Whole sequences from an empty history, caching what <see cref="BackwardNetworks"/> needs.</summary>
    /// <param name="observations">The observations, <c>[sequences, steps, ObservationSize]</c>.</param>
    /// <returns>Logits <c>[sequences, steps, ActionCount]</c> and values <c>[sequences, steps, 1]</c>.</returns>
    protected abstract (NnTensor Logits, NnTensor Values) ForwardNetworks(NnTensor observations);

    /// <summary>Back-propagates through the last <see cref="ForwardNetworks"/>, adding into the parameters' gradients.</summary>
    /// <param name="logitGradient">∂loss/∂logits, <c>[sequences, steps, ActionCount]</c>.</param>
    /// <param name="valueGradient">∂loss/∂values, <c>[sequences, steps, 1]</c>.</param>
    protected abstract void BackwardNetworks(NnTensor logitGradient, NnTensor valueGradient);

    /// <summary>Releases the networks (when <paramref name="disposing"/>); override to release more, calling the base.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _core.Dispose();
        }
    }
}
