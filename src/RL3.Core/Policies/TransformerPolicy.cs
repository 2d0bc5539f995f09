using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// The default meta-policy (METHOD §5): separate actor and critic causal transformers of the same shape —
/// Dense(obs→256, ReLU) → Dense(256→64, ReLU) → LayerNorm → + learned positions (<see cref="PolicyShape.ContextLength"/> = H + 1)
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
public sealed class TransformerPolicy : ActorCriticPolicy
{
    private readonly PolicyShape _shape;
    private readonly TransformerPolicyOptions _options;
    private readonly TransformerNetwork _actor;
    private readonly TransformerNetwork _critic;
    private readonly bool _concurrent;

    /// <summary>Creates the policy of <paramref name="shape"/> with <paramref name="options"/>.</summary>
    /// <param name="shape">The observation size, action count and context length (1 to 2²⁰, typically H + 1; validated here).</param>
    /// <param name="options">The hyperparameters (copied; validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">A shape field or an option is outside its range (the message names it).</exception>
    public TransformerPolicy(PolicyShape shape, TransformerPolicyOptions options)
        : this(Build(shape, options))
    {
    }

    private TransformerPolicy((PolicyShape Shape, TransformerPolicyOptions Options, TransformerNetwork Actor, TransformerNetwork Critic) parts)
        : base(parts.Actor, parts.Critic, parts.Shape.ObservationSize, parts.Shape.ActionCount)
    {
        _shape = parts.Shape;
        _options = parts.Options;
        _actor = parts.Actor;
        _critic = parts.Critic;
        _concurrent = NetworkPair.IsConcurrent(_options.MaxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public override int MaxSequenceLength => _shape.ContextLength;

    /// <inheritdoc/>
    public override IMetaPolicyState CreateState(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        int layers = _actor.Layers;
        var caches = new AttentionCache[2 * layers];
        for (int i = 0; i < caches.Length; i++)
        {
            caches[i] = new AttentionCache(slots, _shape.ContextLength, _options.ModelDim);
        }

        return NewState(slots, caches: caches);
    }

    /// <inheritdoc/>
    protected override (NnTensor Logits, NnTensor Values) StepNetworks(NnTensor observations, ActorCriticPolicyState state)
    {
        var positions = state.Positions;
        for (int i = 0; i < positions.Length; i++)
        {
            if (positions[i] >= _shape.ContextLength)
            {
                throw new ArgumentException(
                    $"Slot {i} of state has consumed {positions[i]} tokens, the whole context (ContextLength = {_shape.ContextLength}); reset the slot before acting again.",
                    nameof(state));
            }
        }

        return _concurrent
            ? StepConcurrently(observations, state)
            : (_actor.Step(observations, state.Caches, 0, state.Positions), _critic.Step(observations, state.Caches, _actor.Layers, state.Positions));
    }

    /// <inheritdoc/>
    protected override (NnTensor Logits, NnTensor Values) ForwardNetworks(NnTensor observations) =>
        _concurrent ? ForwardConcurrently(observations) : (_actor.Forward(observations), _critic.Forward(observations));

    /// <inheritdoc/>
    protected override void BackwardNetworks(NnTensor logitGradient, NnTensor valueGradient)
    {
        if (_concurrent)
        {
            BackwardConcurrently(logitGradient, valueGradient);
        }
        else
        {
            _actor.Backward(logitGradient);
            _critic.Backward(valueGradient);
        }
    }

    // The concurrent paths live in their own methods: a lambda's closure is allocated on entry to the method that
    // declares it, so keeping them out of the step keeps the serial step allocation-free.
    private (NnTensor Logits, NnTensor Values) StepConcurrently(NnTensor observations, ActorCriticPolicyState state) =>
        NetworkPair.Run(() => _actor.Step(observations, state.Caches, 0, state.Positions), () => _critic.Step(observations, state.Caches, _actor.Layers, state.Positions));

    private (NnTensor Logits, NnTensor Values) ForwardConcurrently(NnTensor observations) =>
        NetworkPair.Run(() => _actor.Forward(observations), () => _critic.Forward(observations));

    private void BackwardConcurrently(NnTensor logitGradient, NnTensor valueGradient) =>
        NetworkPair.Run(() => _actor.Backward(logitGradient), () => _critic.Backward(valueGradient));

    private static (PolicyShape Shape, TransformerPolicyOptions Options, TransformerNetwork Actor, TransformerNetwork Critic) Build(PolicyShape shape, TransformerPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        shape.Validate(requiresContextLength: true);
        options.Validate();
        var o = options.Clone();
        return (shape, o, new TransformerNetwork(shape, o, shape.ActionCount, RandomSource.Derive(o.Seed, 1)), new TransformerNetwork(shape, o, 1, RandomSource.Derive(o.Seed, 2)));
    }
}
