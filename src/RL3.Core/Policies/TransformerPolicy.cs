using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// The default meta-policy (METHOD §5): separate actor and critic causal transformers of the same shape —
/// Dense(obs→256, ReLU) → Dense(256→64, ReLU) → LayerNorm → + learned positions (<see cref="TransformerPolicyOptions.ContextLength"/> = H + 1)
/// → 2 post-LN decoder blocks (4 heads of 16, FFN 256, GELU tanh) → ReLU → Dense(64→A) logits / Dense(64→1) value.
/// </summary>
/// <remarks>
/// <para>
/// Acting appends one token per slot to a per-slot key/value cache (<see cref="CreateState"/>), so a step costs
/// O(position) attention instead of recomputing the prefix; the result equals the full-sequence forward pass
/// up to float rounding. Slots may be at different positions and are reset individually. A slot cannot act beyond
/// <see cref="MaxSequenceLength"/> tokens without a reset.
/// </para>
/// <para>
/// Initialisation from <see cref="TransformerPolicyOptions.Seed"/>: the actor from stream 1 and the critic from
/// stream 2 (<see cref="RandomSource.Derive"/>); Glorot-uniform weights, zero biases, LayerNorm γ = 1, β = 0,
/// positions N(0, 0.02²).
/// </para>
/// </remarks>
public sealed class TransformerPolicy : IMetaPolicy, IInHousePolicy
{
    private readonly TransformerPolicyOptions _options;
    private readonly TransformerNetwork _actor;
    private readonly TransformerNetwork _critic;
    private readonly ActorCriticCore _core;
    private readonly bool _concurrent;

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The options (copied; validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range (the message names it).</exception>
    public TransformerPolicy(TransformerPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _actor = new TransformerNetwork(_options, _options.ActionCount, RandomSource.Derive(_options.Seed, 1));
        _critic = new TransformerNetwork(_options, 1, RandomSource.Derive(_options.Seed, 2));
        _core = new ActorCriticCore(nameof(TransformerPolicy), _actor, _critic, _options.ObservationSize, _options.ActionCount);
        _concurrent = NetworkPair.IsConcurrent(_options.MaxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public int ObservationSize => _options.ObservationSize;

    /// <inheritdoc/>
    public int ActionCount => _options.ActionCount;

    /// <inheritdoc/>
    public int MaxSequenceLength => _options.ContextLength;

    /// <inheritdoc/>
    IReadOnlyList<KeyValuePair<string, Parameter>> IInHousePolicy.ActorParameters => _core.ActorParameters;

    /// <inheritdoc/>
    IReadOnlyList<KeyValuePair<string, Parameter>> IInHousePolicy.CriticParameters => _core.CriticParameters;

    /// <inheritdoc/>
    public IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings) => _core.CreateOptimizer(settings);

    /// <inheritdoc/>
    public IMetaPolicyState CreateState(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        int layers = _actor.Layers;
        var caches = new AttentionCache[2 * layers];
        for (int i = 0; i < caches.Length; i++)
        {
            caches[i] = new AttentionCache(slots, _options.ContextLength, _options.ModelDim);
        }

        return new PolicyState(this, slots, caches: caches);
    }

    /// <inheritdoc/>
    public void Act(
        IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random,
        Span<int> actions, Span<float> logProbabilities, Span<float> values)
    {
        var s = _core.BeginAct(this, state, observations, selection, random, actions, logProbabilities, values, out var obs);
        var positions = s.Positions;
        for (int i = 0; i < positions.Length; i++)
        {
            if (positions[i] >= _options.ContextLength)
            {
                throw new ArgumentException(
                    $"Slot {i} of state has consumed {positions[i]} tokens, the whole context (ContextLength = {_options.ContextLength}); reset the slot before acting again.",
                    nameof(state));
            }
        }

        _core.InvalidateEvaluation();
        var (logits, value) = _concurrent ? StepConcurrently(obs, s) : (_actor.Step(obs, s.Caches, 0, s.Positions), _critic.Step(obs, s.Caches, _actor.Layers, s.Positions));
        _core.EndAct(s, logits, value, selection, random, actions, logProbabilities, values);
    }

    /// <inheritdoc/>
    public void EvaluateSequences(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps,
        Span<float> logProbabilities, Span<float> entropies, Span<float> values)
    {
        var obs = _core.BeginEvaluate(observations, actions, sequences, steps, _options.ContextLength, logProbabilities, entropies, values);
        var (logits, value) = _concurrent ? ForwardConcurrently(obs) : (_actor.Forward(obs), _critic.Forward(obs));
        _core.EndEvaluate(sequences, logits, value, logProbabilities, entropies, values);
    }

    /// <inheritdoc/>
    public void BackwardSequences(ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
    {
        _core.BeginBackward(logProbabilityGradients, entropyGradients, valueGradients, out var dLogits, out var dValues);
        if (_concurrent)
        {
            BackwardConcurrently(dLogits, dValues);
        }
        else
        {
            _actor.Backward(dLogits);
            _critic.Backward(dValues);
        }
    }

    /// <inheritdoc/>
    public void ZeroGrad() => _core.ZeroGrad();

    /// <inheritdoc/>
    public void Save(Stream stream) => _core.Save(stream);

    /// <inheritdoc/>
    public void Load(Stream stream) => _core.Load(stream);

    /// <summary>Releases the networks' buffers.</summary>
    public void Dispose() => _core.Dispose();

    private (NnTensor Logits, NnTensor Value) StepConcurrently(NnTensor obs, PolicyState s) =>
        NetworkPair.Run(() => _actor.Step(obs, s.Caches, 0, s.Positions), () => _critic.Step(obs, s.Caches, _actor.Layers, s.Positions));

    private (NnTensor Logits, NnTensor Value) ForwardConcurrently(NnTensor obs) =>
        NetworkPair.Run(() => _actor.Forward(obs), () => _critic.Forward(obs));

    private void BackwardConcurrently(NnTensor dLogits, NnTensor dValues) =>
        NetworkPair.Run(() => _actor.Backward(dLogits), () => _critic.Backward(dValues));
}
