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
public sealed class MlpPolicy : IMetaPolicy, IInHousePolicy
{
    private readonly MlpPolicyOptions _options;
    private readonly Sequential _actor;
    private readonly Sequential _critic;
    private readonly ActorCriticCore _core;

    /// <summary>Creates the policy.</summary>
    /// <param name="options">The options (copied; validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range (the message names it).</exception>
    public MlpPolicy(MlpPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _actor = Build(_options, _options.ActionCount, RandomSource.Derive(_options.Seed, 1));
        _critic = Build(_options, 1, RandomSource.Derive(_options.Seed, 2));
        _core = new ActorCriticCore(nameof(MlpPolicy), _actor, _critic, _options.ObservationSize, _options.ActionCount);
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
        return new PolicyState(this, slots);
    }

    /// <inheritdoc/>
    public void Act(
        IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random,
        Span<int> actions, Span<float> logProbabilities, Span<float> values)
    {
        var s = _core.BeginAct(this, state, observations, selection, random, actions, logProbabilities, values, out var obs);
        _core.InvalidateEvaluation();
        var logits = _actor.Forward(obs);
        var value = _critic.Forward(obs);
        _core.EndAct(s, logits, value, selection, random, actions, logProbabilities, values);
    }

    /// <inheritdoc/>
    public void EvaluateSequences(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps,
        Span<float> logProbabilities, Span<float> entropies, Span<float> values)
    {
        var obs = _core.BeginEvaluate(observations, actions, sequences, steps, int.MaxValue, logProbabilities, entropies, values);
        var logits = _actor.Forward(obs);
        var value = _critic.Forward(obs);
        _core.EndEvaluate(sequences, logits, value, logProbabilities, entropies, values);
    }

    /// <inheritdoc/>
    public void BackwardSequences(ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
    {
        _core.BeginBackward(logProbabilityGradients, entropyGradients, valueGradients, out var dLogits, out var dValues);
        _actor.Backward(dLogits);
        _critic.Backward(dValues);
    }

    /// <inheritdoc/>
    public void ZeroGrad() => _core.ZeroGrad();

    /// <inheritdoc/>
    public void Save(Stream stream) => _core.Save(stream);

    /// <inheritdoc/>
    public void Load(Stream stream) => _core.Load(stream);

    /// <summary>Releases the networks' buffers.</summary>
    public void Dispose() => _core.Dispose();

    private static Sequential Build(MlpPolicyOptions o, int outputs, RandomSource random)
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
