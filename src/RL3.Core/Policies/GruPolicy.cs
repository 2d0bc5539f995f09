using RL3.Core.Nn;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// The recurrent meta-policy (RL², METHOD §5): separate actor and critic networks
/// Dense(obs→64, ReLU) → GRU(64→256) → Dense(256→A) logits / Dense(256→1) value.
/// </summary>
/// <remarks>
/// Acting carries one hidden state per slot and network (<see cref="CreateState"/>); a step equals the
/// corresponding row of the whole-sequence forward pass. Sequences have no length limit.
/// Initialisation from <see cref="GruPolicyOptions.Seed"/>: actor from stream 1, critic from stream 2;
/// Glorot-uniform weights, zero biases.
/// </remarks>
public sealed class GruPolicy : ActorCriticPolicy
{
    private readonly GruPolicyOptions _options;
    private readonly GruNetwork _actor;
    private readonly GruNetwork _critic;
    private readonly bool _concurrent;

    /// <summary>Creates the policy of <paramref name="shape"/> with <paramref name="options"/>.</summary>
    /// <param name="shape">The observation size and action count (validated here; any sequence length is accepted, the context length is ignored).</param>
    /// <param name="options">The hyperparameters (copied; validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">A shape field or an option is outside its range (the message names it).</exception>
    public GruPolicy(PolicyShape shape, GruPolicyOptions options)
        : this(Build(shape, options))
    {
    }

    private GruPolicy((PolicyShape Shape, GruPolicyOptions Options, GruNetwork Actor, GruNetwork Critic) parts)
        : base(parts.Actor, parts.Critic, parts.Shape.ObservationSize, parts.Shape.ActionCount)
    {
        _options = parts.Options;
        _actor = parts.Actor;
        _critic = parts.Critic;
        _concurrent = NetworkPair.IsConcurrent(_options.MaxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public override int MaxSequenceLength => int.MaxValue;

    /// <inheritdoc/>
    public override IMetaPolicyState CreateState(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        return NewState(slots, _options.HiddenSize, hiddenStates: 2);
    }

    /// <inheritdoc/>
    protected override (NnTensor Logits, NnTensor Values) StepNetworks(NnTensor observations, ActorCriticPolicyState state) =>
        _concurrent ? StepConcurrently(observations, state) : (_actor.Step(observations, state.Hidden[0]), _critic.Step(observations, state.Hidden[1]));

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
        NetworkPair.Run(() => _actor.Step(observations, state.Hidden[0]), () => _critic.Step(observations, state.Hidden[1]));

    private (NnTensor Logits, NnTensor Values) ForwardConcurrently(NnTensor observations) =>
        NetworkPair.Run(() => _actor.Forward(observations), () => _critic.Forward(observations));

    private void BackwardConcurrently(NnTensor logitGradient, NnTensor valueGradient) =>
        NetworkPair.Run(() => _actor.Backward(logitGradient), () => _critic.Backward(valueGradient));

    private static (PolicyShape Shape, GruPolicyOptions Options, GruNetwork Actor, GruNetwork Critic) Build(PolicyShape shape, GruPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        shape.Validate(requiresContextLength: false);
        options.Validate();
        var o = options.Clone();
        return (shape, o, new GruNetwork(shape, o, shape.ActionCount, RandomSource.Derive(o.Seed, 1)), new GruNetwork(shape, o, 1, RandomSource.Derive(o.Seed, 2)));
    }
}
