using RL3.Core.Nn;
using RL3.Core.Nn.Modules;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// The memoryless meta-policy (RL³-Markov, METHOD §5): separate actor and critic MLPs with
/// <see cref="MlpPolicyOptions.HiddenLayers"/> ReLU layers of <see cref="MlpPolicyOptions.HiddenSize"/> units,
/// then Dense(→A) logits / Dense(→1) value. Each observation is judged on its own.
/// </summary>
/// <remarks>
/// The state only counts tokens per slot. Initialisation from <see cref="MlpPolicyOptions.Seed"/>: actor from
/// stream 1, critic from stream 2; Glorot-uniform weights, zero biases.
/// </remarks>
public sealed class MlpPolicy : ActorCriticPolicy
{
    private readonly Sequential _actor;
    private readonly Sequential _critic;

    /// <summary>Creates the policy of <paramref name="shape"/> with <paramref name="options"/>.</summary>
    /// <param name="shape">The observation size and action count (validated here; any sequence length is accepted, the context length is ignored).</param>
    /// <param name="options">The hyperparameters (copied; validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">A shape field or an option is outside its range (the message names it).</exception>
    public MlpPolicy(PolicyShape shape, MlpPolicyOptions options)
        : this(Build(shape, options))
    {
    }

    private MlpPolicy((PolicyShape Shape, MlpPolicyOptions Options, Sequential Actor, Sequential Critic) parts)
        : base(parts.Actor, parts.Critic, parts.Shape.ObservationSize, parts.Shape.ActionCount)
    {
        _actor = parts.Actor;
        _critic = parts.Critic;
    }

    /// <inheritdoc/>
    public override int MaxSequenceLength => int.MaxValue;

    /// <inheritdoc/>
    public override IMetaPolicyState CreateState(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        return NewState(slots);
    }

    /// <inheritdoc/>
    protected override (NnTensor Logits, NnTensor Values) StepNetworks(NnTensor observations, ActorCriticPolicyState state)
    {
        var logits = _actor.Forward(observations);
        var value = _critic.Forward(observations);
        return (logits, value);
    }

    /// <inheritdoc/>
    protected override (NnTensor Logits, NnTensor Values) ForwardNetworks(NnTensor observations)
    {
        var logits = _actor.Forward(observations);
        var value = _critic.Forward(observations);
        return (logits, value);
    }

    /// <inheritdoc/>
    protected override void BackwardNetworks(NnTensor logitGradient, NnTensor valueGradient)
    {
        _actor.Backward(logitGradient);
        _critic.Backward(valueGradient);
    }

    private static (PolicyShape Shape, MlpPolicyOptions Options, Sequential Actor, Sequential Critic) Build(PolicyShape shape, MlpPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        shape.Validate(requiresContextLength: false);
        options.Validate();
        var o = options.Clone();
        return (shape, o, Network(shape.ObservationSize, o, shape.ActionCount, RandomSource.Derive(o.Seed, 1)), Network(shape.ObservationSize, o, 1, RandomSource.Derive(o.Seed, 2)));
    }

    private static Sequential Network(int observationSize, MlpPolicyOptions o, int outputs, RandomSource random)
    {
        var net = new Sequential();
        int width = observationSize;
        for (int i = 0; i < o.HiddenLayers; i++)
        {
            net.Add(new Linear(width, o.HiddenSize, random)).Add(new Relu());
            width = o.HiddenSize;
        }

        return net.Add(new Linear(width, outputs, random));
    }
}
