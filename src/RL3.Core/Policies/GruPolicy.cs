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
public sealed class GruPolicy : IMetaPolicy, IInHousePolicy
{
    private readonly GruPolicyOptions _options;
    private readonly GruNetwork _actor;
    private readonly GruNetwork _critic;
    private readonly ActorCriticCore _core;
    private readonly bool _concurrent;

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The options (copied; validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range (the message names it).</exception>
    public GruPolicy(GruPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _actor = new GruNetwork(_options, _options.ActionCount, RandomSource.Derive(_options.Seed, 1));
        _critic = new GruNetwork(_options, 1, RandomSource.Derive(_options.Seed, 2));
        _core = new ActorCriticCore(nameof(GruPolicy), _actor, _critic, _options.ObservationSize, _options.ActionCount);
        _concurrent = NetworkPair.IsConcurrent(_options.MaxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public int ObservationSize => _options.ObservationSize;

    /// <inheritdoc/>
    public int ActionCount => _options.ActionCount;

    /// <inheritdoc/>
    public int MaxSequenceLength => int.MaxValue;

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
        return new PolicyState(this, slots, _options.HiddenSize, hiddenStates: 2);
    }

    /// <inheritdoc/>
    public void Act(
        IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random,
        Span<int> actions, Span<float> logProbabilities, Span<float> values)
    {
        var s = _core.BeginAct(this, state, observations, selection, random, actions, logProbabilities, values, out var obs);
        _core.InvalidateEvaluation();
        var (logits, value) = _concurrent ? StepConcurrently(obs, s) : (_actor.Step(obs, s.Hidden[0]), _critic.Step(obs, s.Hidden[1]));
        _core.EndAct(s, logits, value, selection, random, actions, logProbabilities, values);
    }

    /// <inheritdoc/>
    public void EvaluateSequences(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps,
        Span<float> logProbabilities, Span<float> entropies, Span<float> values)
    {
        var obs = _core.BeginEvaluate(observations, actions, sequences, steps, int.MaxValue, logProbabilities, entropies, values);
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
        NetworkPair.Run(() => _actor.Step(obs, s.Hidden[0]), () => _critic.Step(obs, s.Hidden[1]));

    private (NnTensor Logits, NnTensor Value) ForwardConcurrently(NnTensor obs) =>
        NetworkPair.Run(() => _actor.Forward(obs), () => _critic.Forward(obs));

    private void BackwardConcurrently(NnTensor dLogits, NnTensor dValues) =>
        NetworkPair.Run(() => _actor.Backward(dLogits), () => _critic.Backward(dValues));
}
