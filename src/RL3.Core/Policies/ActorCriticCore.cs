using RL3.Core.Nn;
using RL3.Core.Nn.Serialization;
using RL3.Core.Randomness;

namespace RL3.Core.Policies;

/// <summary>
/// What the built-in policies share: argument checks, observation/action buffers, the categorical head on the actor's
/// logits, the value head on the critic's output, and the loss derivatives fed back into both networks.
/// </summary>
internal sealed class ActorCriticCore : IDisposable
{
    private const string ObservationSizeKey = "policy.observation_size";
    private const string ActionCountKey = "policy.action_count";

    private readonly string _policyName;
    private readonly NnTensor _stepObservations = new(0, 0);
    private readonly NnTensor _sequenceObservations = new(0, 0, 0);
    private readonly NnTensor _logits = new(0, 0);
    private readonly NnTensor _logitGradient = new(0, 0, 0);
    private readonly NnTensor _valueGradient = new(0, 0, 0);
    private int[] _actions = [];
    private int _sequences = -1;
    private int _steps;

    public ActorCriticCore(string policyName, Module actor, Module critic, int observationSize, int actionCount)
    {
        _policyName = policyName;
        Modules = new PolicyModules(actor, critic);
        ObservationSize = observationSize;
        ActionCount = actionCount;
        var actorParameters = new List<KeyValuePair<string, Parameter>>();
        var criticParameters = new List<KeyValuePair<string, Parameter>>();
        foreach (var p in Modules.NamedParameters())
        {
            (p.Key.StartsWith("actor.", StringComparison.Ordinal) ? actorParameters : criticParameters).Add(p);
        }

        ActorParameters = actorParameters;
        CriticParameters = criticParameters;
    }

    public PolicyModules Modules { get; }

    public int ObservationSize { get; }

    public int ActionCount { get; }

    public IReadOnlyList<KeyValuePair<string, Parameter>> ActorParameters { get; }

    public IReadOnlyList<KeyValuePair<string, Parameter>> CriticParameters { get; }

    /// <summary>An Adam optimiser per network over this policy's parameters.</summary>
    public IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings) => new AdamPolicyOptimizer(ActorParameters, CriticParameters, settings);

    /// <summary>Validates an <c>Act</c> call and returns the observations as a <c>[slots, ObservationSize]</c> tensor.</summary>
    public ActorCriticPolicyState BeginAct(
        object owner, IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random,
        Span<int> actions, Span<float> logProbabilities, Span<float> values, out NnTensor observationTensor)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state is not ActorCriticPolicyState s || !ReferenceEquals(s.Owner, owner))
        {
            throw new ArgumentException($"state was not created by this {_policyName} (use its CreateState).", nameof(state));
        }

        int n = s.Slots;
        MetaPolicyArguments.CheckAct(n, ObservationSize, observations.Length, actions.Length, logProbabilities.Length, values.Length);
        if (selection == ActionSelection.Sample && random is null)
        {
            throw new ArgumentNullException(nameof(random), "random is required when selection is ActionSelection.Sample.");
        }

        if (selection is not (ActionSelection.Sample or ActionSelection.Greedy))
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection, "selection must be Sample or Greedy.");
        }

        _stepObservations.Resize(n, ObservationSize);
        observations.CopyTo(_stepObservations.Span);
        observationTensor = _stepObservations;
        return s;
    }

    /// <summary>Picks actions from the actor's <c>[slots, A]</c> logits and copies the critic's <c>[slots, 1]</c> values.</summary>
    public void EndAct(ActorCriticPolicyState state, NnTensor logits, NnTensor criticOutput, ActionSelection selection, RandomSource? random, Span<int> actions, Span<float> logProbabilities, Span<float> values)
    {
        CategoricalHead.Select(logits.Span, ActionCount, selection == ActionSelection.Greedy ? null : random, actions, logProbabilities);
        criticOutput.Span.CopyTo(values);
        state.Advance();
    }

    /// <summary>Validates an <c>EvaluateSequences</c> call and returns the observations as a <c>[B, T, m]</c> tensor.</summary>
    public NnTensor BeginEvaluate(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps, int maxSteps,
        Span<float> logProbabilities, Span<float> entropies, Span<float> values)
    {
        _sequences = -1;
        int n = MetaPolicyArguments.CheckSequences(
            ObservationSize, ActionCount, maxSteps, sequences, steps,
            observations.Length, actions.Length, logProbabilities.Length, entropies.Length, values.Length);
        for (int i = 0; i < n; i++)
        {
            if ((uint)actions[i] >= (uint)ActionCount)
            {
                throw new ArgumentOutOfRangeException(nameof(actions), actions[i], $"actions[{i}] = {actions[i]} is not an action in [0, {ActionCount}).");
            }
        }

        if (_actions.Length < n)
        {
            _actions = new int[n];
        }

        actions.CopyTo(_actions);
        _sequenceObservations.Resize(sequences, steps, ObservationSize);
        observations.CopyTo(_sequenceObservations.Span);
        _steps = steps;
        return _sequenceObservations;
    }

    /// <summary>Computes log-probabilities and entropies from the actor's logits and copies the critic's values.</summary>
    public void EndEvaluate(int sequences, NnTensor logits, NnTensor criticOutput, Span<float> logProbabilities, Span<float> entropies, Span<float> values)
    {
        int n = sequences * _steps;
        _logits.Resize(n, ActionCount);
        logits.Span.CopyTo(_logits.Span);
        CategoricalHead.Evaluate(_logits.Span, ActionCount, _actions.AsSpan(0, n), logProbabilities, entropies);
        criticOutput.Span.CopyTo(values);
        _sequences = sequences;
    }

    /// <summary>Turns per-token loss derivatives into the gradients of the actor's logits and of the critic's output.</summary>
    public void BeginBackward(
        ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients,
        out NnTensor logitGradient, out NnTensor valueGradient)
    {
        if (_sequences < 0)
        {
            throw new InvalidOperationException($"{_policyName}.BackwardSequences needs a preceding EvaluateSequences (and no Act in between).");
        }

        int n = _sequences * _steps;
        MetaPolicyArguments.CheckGradients(n, logProbabilityGradients.Length, entropyGradients.Length, valueGradients.Length);
        _logitGradient.Resize(_sequences, _steps, ActionCount);
        CategoricalHead.Backward(_logits.Span, ActionCount, _actions.AsSpan(0, n), logProbabilityGradients, entropyGradients, _logitGradient.Span);
        _valueGradient.Resize(_sequences, _steps, 1);
        valueGradients.CopyTo(_valueGradient.Span);
        logitGradient = _logitGradient;
        valueGradient = _valueGradient;
    }

    /// <summary>The actor's <c>[tokens, A]</c> logits of the last <c>EvaluateSequences</c> (sequence-major, as its inputs).</summary>
    public ReadOnlySpan<float> EvaluatedLogits => _sequences < 0
        ? throw new InvalidOperationException($"{_policyName}: no EvaluateSequences since the last Act.")
        : _logits.Span[..(_sequences * _steps * ActionCount)];

    /// <summary>Marks the cached forward pass as invalid (after acting, which overwrites module caches).</summary>
    public void InvalidateEvaluation() => _sequences = -1;

    public void ZeroGrad() => Modules.ZeroGrad();

    /// <summary>Writes every parameter (<c>actor.…</c>, <c>critic.…</c>) plus the observation size and action count.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var archive = new TensorArchive();
        archive.SetInt64(ObservationSizeKey, ObservationSize);
        archive.SetInt64(ActionCountKey, ActionCount);
        Modules.AddParameters(archive);
        archive.WriteTo(stream);
    }

    /// <summary>Reads parameters written by <see cref="Save"/>; on any mismatch nothing is changed.</summary>
    public void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var archive = TensorArchive.ReadFrom(stream);
        if (archive.TryGetInt64(ObservationSizeKey, out long m) && m != ObservationSize)
        {
            throw new InvalidDataException($"The saved {_policyName} has ObservationSize {m} but this one has {ObservationSize}.");
        }

        if (archive.TryGetInt64(ActionCountKey, out long a) && a != ActionCount)
        {
            throw new InvalidDataException($"The saved {_policyName} has ActionCount {a} but this one has {ActionCount}.");
        }

        Modules.LoadParameters(archive);
        _sequences = -1;
    }

    public void Dispose()
    {
        Modules.Dispose();
        _stepObservations.Dispose();
        _sequenceObservations.Dispose();
        _logits.Dispose();
        _logitGradient.Dispose();
        _valueGradient.Dispose();
    }
}
