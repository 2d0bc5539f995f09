using System.Runtime.InteropServices;
using RL3.Core.Nn;
using RL3.Core.Nn.Serialization;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace RL3.Core.TorchSharp;

/// <summary>
/// A base for meta-policies on TorchSharp (libtorch): a separate actor module (observations → action logits) and critic
/// module (observations → value) on one device. The base implements the whole <see cref="IMetaPolicy"/> contract
/// around two network passes a subclass supplies; the backward pass is libtorch's autograd.
/// </summary>
/// <remarks>
/// <para>
/// The base checks arguments (the messages name the argument), resolves the device and loads libtorch (with a clear
/// error: <see cref="TorchRuntime.EnsureLoaded"/>), sets libtorch's thread count only when
/// <see cref="TorchSharpOptions.ThreadCount"/> asks for it, moves the modules to the device and loads the initial
/// weights. Acting uploads the observations, runs <see cref="StepNetworks"/> without gradients and downloads one
/// <c>[slots, A + 1]</c> block (logits and values); actions are chosen on the host by the in-house categorical head
/// (<see cref="CategoricalHead.Select"/>), so sampling draws exactly as the in-house policies do. Evaluation runs
/// <see cref="ForwardNetworks"/> with autograd, computes log π(a), the entropy and the value on the device and downloads
/// those three numbers per token; <see cref="BackwardSequences"/> uploads the three loss derivatives per token and calls
/// autograd, which adds into the parameters' gradients. Every call's temporaries live in a dispose scope.
/// </para>
/// <para>
/// A subclass supplies <see cref="CreateState"/> (usually <see cref="NewState"/> with its memory tensors),
/// <see cref="StepNetworks"/> (one token per slot, reading and updating the state) and <see cref="ForwardNetworks"/>
/// (whole sequences from an empty history), plus the parameter bindings (<see cref="TorchParameterBinding"/>) that tie
/// its torch parameters to the interchange format: the in-house policy file of the same architecture. Saving, loading,
/// the optimiser's flat layout and its saved state all use that format, so weights, gradients and checkpoints move
/// between the engines.
/// </para>
/// </remarks>
public abstract class TorchActorCriticPolicy : IMetaPolicy, IEvaluatedLogits
{
    private const string ObservationSizeKey = "policy.observation_size";
    private const string ActionCountKey = "policy.action_count";

    private readonly string _name;
    private readonly TorchParameterSet _parameters;
    private float[] _stepLogits = [];
    private Tensor? _hostObservations;
    private Tensor? _hostSequences;
    private Tensor? _evaluatedLogProbabilities;
    private Tensor? _evaluatedEntropies;
    private Tensor? _evaluatedValues;
    private Tensor? _evaluatedLogits;
    private float[] _evaluatedLogitsHost = [];
    private bool _evaluatedLogitsRead;
    private int _evaluatedTokens = -1;
    private bool _disposed;

    /// <summary>Wraps the two modules, moves them to the device of <paramref name="options"/> and loads <paramref name="initialParameters"/>.</summary>
    /// <param name="shape">The observation size and action count (validated by the caller, for example by the in-house options).</param>
    /// <param name="actor">The actor module (logits of width <see cref="PolicyShape.ActionCount"/>); the policy owns and disposes it.</param>
    /// <param name="critic">The critic module (output width 1); the policy owns and disposes it.</param>
    /// <param name="bindings">Every parameter of both modules, actor first, in the interchange order and layout.</param>
    /// <param name="initialParameters">The initial weights in the interchange format (for example the in-house policy of the same shape, options and seed, saved).</param>
    /// <param name="options">The device and thread count (copied; validated here).</param>
    /// <exception cref="ArgumentException">A binding is missing, repeated or out of order, or the device does not exist.</exception>
    /// <exception cref="InvalidDataException"><paramref name="initialParameters"/> does not fit the bindings.</exception>
    /// <exception cref="TorchSharpLoadException">libtorch did not load (the message names the cause and the fix).</exception>
    protected TorchActorCriticPolicy(
        PolicyShape shape, nn.Module actor, nn.Module critic, IReadOnlyList<TorchParameterBinding> bindings,
        TensorArchive initialParameters, TorchSharpOptions options)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(initialParameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (shape.ObservationSize < 1 || shape.ActionCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "shape needs ObservationSize ≥ 1 and ActionCount ≥ 1.");
        }

        _name = GetType().Name;
        Options = options.Clone();
        ObservationSize = shape.ObservationSize;
        ActionCount = shape.ActionCount;
        Device = TorchDevices.Resolve(Options.Device);
        if (Options.ThreadCount is { } threads)
        {
            TorchRuntime.SetThreadCount(threads);
        }

        Actor = actor.to(Device);
        Critic = critic.to(Device);
        _parameters = new TorchParameterSet(bindings, Actor, Critic, _name);
        _parameters.MaterializeGradients();
        LoadParameters(initialParameters, "initial parameters");
    }

    /// <inheritdoc/>
    public int ObservationSize { get; }

    /// <inheritdoc/>
    public int ActionCount { get; }

    /// <inheritdoc/>
    public abstract int MaxSequenceLength { get; }

    /// <summary>The device every tensor of this policy lives on.</summary>
    public Device Device { get; }

    /// <summary>The options the policy was built with (a copy).</summary>
    public TorchSharpOptions Options { get; }

    /// <summary>The interchange names of the parameters, actor first (the save format's and the flat layout's order).</summary>
    public IReadOnlyList<string> ParameterNames => _parameters.Names;

    /// <summary>The actor module (on <see cref="Device"/>).</summary>
    protected nn.Module Actor { get; }

    /// <summary>The critic module (on <see cref="Device"/>).</summary>
    protected nn.Module Critic { get; }

    /// <inheritdoc/>
    ReadOnlySpan<float> IEvaluatedLogits.EvaluatedLogits
    {
        get
        {
            if (_evaluatedLogits is null)
            {
                throw new InvalidOperationException($"{_name}: no EvaluateSequences since the last Act.");
            }

            if (!_evaluatedLogitsRead)
            {
                int length = _evaluatedTokens * ActionCount;
                if (_evaluatedLogitsHost.Length < length)
                {
                    _evaluatedLogitsHost = new float[length];
                }

                using var scope = NewDisposeScope();
                MemoryMarshal.Cast<byte, float>(_evaluatedLogits.cpu().contiguous().bytes).CopyTo(_evaluatedLogitsHost);
                _evaluatedLogitsRead = true;
            }

            return _evaluatedLogitsHost.AsSpan(0, _evaluatedTokens * ActionCount);
        }
    }

    /// <inheritdoc/>
    public IPolicyOptimizer CreateOptimizer(PolicyOptimizerSettings settings)
    {
        ThrowIfDisposed();
        return new TorchPolicyOptimizer(_parameters, settings);
    }

    /// <inheritdoc/>
    public abstract IMetaPolicyState CreateState(int slots);

    /// <inheritdoc/>
    public void Act(
        IMetaPolicyState state, ReadOnlySpan<float> observations, ActionSelection selection, RandomSource? random,
        Span<int> actions, Span<float> logProbabilities, Span<float> values)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(state);
        if (state is not TorchPolicyState s || !ReferenceEquals(s.Owner, this))
        {
            throw new ArgumentException($"state was not created by this {_name} (use its CreateState).", nameof(state));
        }

        int n = s.Slots;
        MetaPolicyArguments.CheckAct(n, ObservationSize, observations.Length, actions.Length, logProbabilities.Length, values.Length);
        if (selection is not (ActionSelection.Sample or ActionSelection.Greedy))
        {
            throw new ArgumentOutOfRangeException(nameof(selection), selection, "selection must be Sample or Greedy.");
        }

        if (selection == ActionSelection.Sample && random is null)
        {
            throw new ArgumentNullException(nameof(random), "random is required when selection is ActionSelection.Sample.");
        }

        DisposeEvaluation();
        int a = ActionCount;
        if (_stepLogits.Length < n * a)
        {
            _stepLogits = new float[n * a];
        }

        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var obs = Upload(ref _hostObservations, observations, [n, ObservationSize]);
            var (logits, value) = StepNetworks(obs, s);
            var block = cat([logits.reshape(n, a), value.reshape(n, 1)], 1).cpu().contiguous();
            var host = MemoryMarshal.Cast<byte, float>(block.bytes);
            for (int i = 0; i < n; i++)
            {
                host.Slice(i * (a + 1), a).CopyTo(_stepLogits.AsSpan(i * a, a));
                values[i] = host[(i * (a + 1)) + a];
            }
        }

        CategoricalHead.Select(_stepLogits.AsSpan(0, n * a), a, selection == ActionSelection.Greedy ? null : random, actions, logProbabilities);
        s.Advance();
    }

    /// <inheritdoc/>
    public void EvaluateSequences(
        ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, int sequences, int steps,
        Span<float> logProbabilities, Span<float> entropies, Span<float> values)
    {
        ThrowIfDisposed();
        DisposeEvaluation();
        int n = MetaPolicyArguments.CheckSequences(
            ObservationSize, ActionCount, MaxSequenceLength, sequences, steps,
            observations.Length, actions.Length, logProbabilities.Length, entropies.Length, values.Length);
        var taken = new long[n];
        for (int i = 0; i < n; i++)
        {
            if ((uint)actions[i] >= (uint)ActionCount)
            {
                throw new ArgumentOutOfRangeException(nameof(actions), actions[i], $"actions[{i}] = {actions[i]} is not an action in [0, {ActionCount}).");
            }

            taken[i] = actions[i];
        }

        using var scope = NewDisposeScope();
        var obs = Upload(ref _hostSequences, observations, [sequences, steps, ObservationSize]);
        var index = tensor(taken, ScalarType.Int64, Device).reshape(n, 1);
        var (logits, value) = ForwardNetworks(obs);
        var flat = logits.reshape(n, ActionCount);
        var logPolicy = nn.functional.log_softmax(flat, 1);
        var logProbability = logPolicy.gather(1, index).reshape(n);
        var entropy = (logPolicy.exp() * logPolicy).sum(1).neg();
        var v = value.reshape(n);
        using (no_grad())
        {
            var block = stack([logProbability, entropy, v], 0).cpu().contiguous();
            var host = MemoryMarshal.Cast<byte, float>(block.bytes);
            host[..n].CopyTo(logProbabilities);
            host.Slice(n, n).CopyTo(entropies);
            host.Slice(2 * n, n).CopyTo(values);
        }

        _evaluatedLogProbabilities = logProbability.DetachFromDisposeScope();
        _evaluatedEntropies = entropy.DetachFromDisposeScope();
        _evaluatedValues = v.DetachFromDisposeScope();
        _evaluatedLogits = flat.detach().DetachFromDisposeScope();
        _evaluatedLogitsRead = false;
        _evaluatedTokens = n;
    }

    /// <inheritdoc/>
    public void BackwardSequences(ReadOnlySpan<float> logProbabilityGradients, ReadOnlySpan<float> entropyGradients, ReadOnlySpan<float> valueGradients)
    {
        ThrowIfDisposed();
        if (_evaluatedLogProbabilities is null || _evaluatedEntropies is null || _evaluatedValues is null)
        {
            throw new InvalidOperationException($"{_name}.BackwardSequences needs a preceding EvaluateSequences (and no Act in between).");
        }

        int n = _evaluatedTokens;
        MetaPolicyArguments.CheckGradients(n, logProbabilityGradients.Length, entropyGradients.Length, valueGradients.Length);
        using var scope = NewDisposeScope();
        var host = empty([3, n], ScalarType.Float32);
        var span = MemoryMarshal.Cast<byte, float>(host.bytes);
        logProbabilityGradients.CopyTo(span);
        entropyGradients.CopyTo(span[n..]);
        valueGradients.CopyTo(span[(2 * n)..]);
        var g = ToDevice(host);
        autograd.backward(
            [_evaluatedLogProbabilities, _evaluatedEntropies, _evaluatedValues],
            [g[0], g[1], g[2]],
            retain_graph: true);
    }

    /// <inheritdoc/>
    public void ZeroGrad()
    {
        ThrowIfDisposed();
        _parameters.ZeroGradients();
    }

    /// <summary>Writes every parameter in the interchange format (the in-house policy file: a <see cref="TensorArchive"/> with the observation size and action count).</summary>
    /// <param name="stream">A writable stream.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfDisposed();
        var archive = new TensorArchive();
        archive.SetInt64(ObservationSizeKey, ObservationSize);
        archive.SetInt64(ActionCountKey, ActionCount);
        _parameters.AddTo(archive);
        archive.WriteTo(stream);
    }

    /// <summary>Reads parameters in the interchange format: written by <see cref="Save"/> or by the in-house policy of the same architecture; on any mismatch nothing changes.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <exception cref="InvalidDataException">The data is not a policy file or does not fit this policy (the message names the entry).</exception>
    public void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfDisposed();
        LoadParameters(TensorArchive.ReadFrom(stream), "saved policy");
    }

    /// <summary>Frees the modules, the cached evaluation and the staging tensors.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a state of <paramref name="slots"/> reset slots owned by this policy, with zero memory tensors of the given shapes on the device.</summary>
    /// <param name="slots">Number of slots (≥ 1).</param>
    /// <param name="memoryShapes">The shape of each memory tensor; dimension 0 must be <paramref name="slots"/>.</param>
    /// <returns>The state.</returns>
    protected TorchPolicyState NewState(int slots, params ReadOnlySpan<long[]> memoryShapes)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        foreach (var shape in memoryShapes)
        {
            if (shape is null || shape.Length < 1 || shape[0] != slots)
            {
                throw new ArgumentException($"every memory shape needs dimension 0 = slots ({slots}).", nameof(memoryShapes));
            }
        }

        return new TorchPolicyState(this, slots, Device, memoryShapes);
    }

    /// <summary>One token for every slot, without gradients: the actor's logits and the critic's values, updating the state's memory.</summary>
    /// <param name="observations">The observations, <c>[slots, ObservationSize]</c> on <see cref="Device"/>.</param>
    /// <param name="state">The state (positions not yet advanced; the base advances them afterwards).</param>
    /// <returns>Logits <c>[slots, ActionCount]</c> and values <c>[slots]</c> or <c>[slots, 1]</c>, on <see cref="Device"/> (temporaries of the call's dispose scope).</returns>
    protected abstract (Tensor Logits, Tensor Values) StepNetworks(Tensor observations, TorchPolicyState state);

    /// <summary>Whole sequences from an empty history, with autograd.</summary>
    /// <param name="observations">The observations, <c>[sequences, steps, ObservationSize]</c> on <see cref="Device"/>.</param>
    /// <returns>Logits <c>[sequences, steps, ActionCount]</c> and values <c>[sequences, steps, 1]</c> (or <c>[sequences, steps]</c>).</returns>
    protected abstract (Tensor Logits, Tensor Values) ForwardNetworks(Tensor observations);

    /// <summary>Frees the modules (when <paramref name="disposing"/>); override to free more, calling the base.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            DisposeEvaluation();
            _hostObservations?.Dispose();
            _hostSequences?.Dispose();
            Actor.Dispose();
            Critic.Dispose();
        }
    }

    /// <summary>A host tensor with <paramref name="data"/>, moved to <see cref="Device"/> (the same tensor on the CPU).</summary>
    private Tensor Upload(ref Tensor? staging, ReadOnlySpan<float> data, long[] shape)
    {
        if (staging is null || !staging.shape.AsSpan().SequenceEqual(shape))
        {
            staging?.Dispose();
            staging = empty(shape, ScalarType.Float32).DetachFromDisposeScope();
        }

        data.CopyTo(MemoryMarshal.Cast<byte, float>(staging.bytes));
        return Device.type == DeviceType.CPU ? staging.alias() : ToDevice(staging);
    }

    private Tensor ToDevice(Tensor host) => Device.type == DeviceType.CPU ? host : host.to(Device.type, Device.index);

    private void LoadParameters(TensorArchive archive, string what)
    {
        if (archive.TryGetInt64(ObservationSizeKey, out long m) && m != ObservationSize)
        {
            throw new InvalidDataException($"The {what} of {_name} has ObservationSize {m} but this one has {ObservationSize}.");
        }

        if (archive.TryGetInt64(ActionCountKey, out long a) && a != ActionCount)
        {
            throw new InvalidDataException($"The {what} of {_name} has ActionCount {a} but this one has {ActionCount}.");
        }

        var flat = _parameters.ReadAll(archive, what);
        _parameters.CopyFrom(flat, gradients: false);
        DisposeEvaluation();
    }

    private void DisposeEvaluation()
    {
        _evaluatedLogProbabilities?.Dispose();
        _evaluatedEntropies?.Dispose();
        _evaluatedValues?.Dispose();
        _evaluatedLogits?.Dispose();
        _evaluatedLogProbabilities = null;
        _evaluatedEntropies = null;
        _evaluatedValues = null;
        _evaluatedLogits = null;
        _evaluatedTokens = -1;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
