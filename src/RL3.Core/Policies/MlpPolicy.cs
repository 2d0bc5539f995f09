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

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The options (copied; validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range (the message names it).</exception>
    public MlpPolicy(MlpPolicyOptions options)
        : this(Build(options))
    {
    }

    private MlpPolicy((MlpPolicyOptions Options, Sequential Actor, Sequential Critic) parts)
        : base(parts.Actor, parts.Critic, parts.Options.ObservationSize, parts.Options.ActionCount)
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

    private static (MlpPolicyOptions Options, Sequential Actor, Sequential Critic) Build(MlpPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var o = options.Clone();
        return (o, Network(o, o.ActionCount, RandomSource.Derive(o.Seed, 1)), Network(o, 1, RandomSource.Derive(o.Seed, 2)));
    }

    private static Sequential Network(MlpPolicyOptions o, int outputs, RandomSource random)
    {
        var net = new Sequential();
        int width = o.ObservationSize;
        for (int i = 0; i < o.HiddenLayers; i++)
        {
            net.Add(new Linear(width, o.HiddenSize, random)).Add(new Relu());
            width = o.HiddenSize;
        }

        return net.Add(new Linear(width, outputs, random));
    }
}
