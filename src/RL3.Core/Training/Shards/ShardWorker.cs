using System.Diagnostics;
using System.Globalization;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

namespace RL3.Core.Training.Shards;

/// <summary>
/// Computes shards of PPO iterations on one policy replica (<see cref="IShardWorker"/>): the single-process trainer
/// runs every shard on one of these, and a remote worker hosts one per process. Build it from the run's specification
/// exactly as the learner builds its trainer (same policy shape and options, environment and PPO options).
/// </summary>
/// <remarks>
/// <para>
/// For each shard it serves, the worker keeps the meta-environments of the shard's N/S slots, the policy's recurrent
/// state, the latest rollout (observations, actions, log π_old, V_old, rewards, GAE advantages and targets), the
/// epochs' permutations and, under <see cref="KlEarlyStop.ExactFullBatch"/>, log π_old(·|s) of every step. A rollout
/// request replaces the shard's earlier rollout.
/// </para>
/// <para>
/// Weights arrive with every request and are copied into the replica through <see cref="IPolicyOptimizer.CopyParametersFrom"/>;
/// gradients leave through <see cref="IPolicyOptimizer.CopyGradientsTo"/>, so any <see cref="IMetaPolicy"/> whose
/// optimiser implements the flat copies can be trained this way. Not thread-safe.
/// </para>
/// </remarks>
public sealed class ShardWorker : IShardWorker, IDisposable
{
    private readonly IMetaPolicy _policy;
    private readonly IPolicyOptimizer _flat;
    private readonly bool _ownsOptimizer;
    private readonly MetaEnvironmentSpec _spec;
    private readonly PpoOptions _options;
    private readonly ShardLayout _layout;
    private readonly TaskSampler _sampler;
    private readonly IEvaluatedLogits? _logitSource;
    private readonly ShardState?[] _shards;
    private readonly int _h;
    private readonly int _obs;

    // Minibatch scratch, sized for a shard's part of a full minibatch (M/S sequences).
    private readonly float[] _mbObservations;
    private readonly int[] _mbActions;
    private readonly float[] _mbOldLogProbabilities;
    private readonly float[] _mbAdvantages;
    private readonly float[] _mbReturns;
    private readonly float[] _mbLogProbabilities;
    private readonly float[] _mbEntropies;
    private readonly float[] _mbValues;
    private readonly float[] _mbGradLogProbabilities;
    private readonly float[] _mbGradEntropies;
    private readonly float[] _mbGradValues;
    private bool _disposed;

    /// <summary>Creates a worker for the run described by <paramref name="environment"/> and <paramref name="options"/>, computing on <paramref name="policy"/>.</summary>
    /// <param name="policy">The worker's policy replica (built with the run's shape and options; its weights come with each request). The caller disposes it after the worker.</param>
    /// <param name="environment">The run's meta-environment recipe.</param>
    /// <param name="options">The run's PPO options (copied and validated; <see cref="PpoOptions.Shards"/> is S).</param>
    /// <exception cref="ArgumentException">An option is out of range or does not fit the policy or environment (as for <see cref="PpoTrainer"/>).</exception>
    public ShardWorker(IMetaPolicy policy, MetaEnvironmentSpec environment, PpoOptions options)
        : this(policy, null, environment, options)
    {
    }

    /// <summary>The in-process worker of a trainer: shares the trainer's policy and optimiser (for the flat copies).</summary>
    internal ShardWorker(IMetaPolicy policy, IPolicyOptimizer? optimizer, MetaEnvironmentSpec environment, PpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate(environment.InteractionBudget);
        _logitSource = CheckPolicy(policy, environment, _options);
        _policy = policy;
        _spec = environment;
        _h = environment.InteractionBudget;
        _obs = environment.ObservationSize;
        _layout = new ShardLayout(_options.EnvironmentCount(_h), _options.MinibatchSequences, _options.Shards);
        _sampler = new TaskSampler(environment.Distribution, RandomSource.DeriveSeed(_options.Seed, 2), TaskSplit.Training);
        _shards = new ShardState?[_layout.ShardCount];
        _ownsOptimizer = optimizer is null;
        _flat = optimizer ?? policy.CreateOptimizer(PpoTrainer.OptimizerSettings(_options));

        int tokens = _layout.ShardSequencesPerMinibatch * _h;
        _mbObservations = new float[tokens * _obs];
        _mbActions = new int[tokens];
        _mbOldLogProbabilities = new float[tokens];
        _mbAdvantages = new float[tokens];
        _mbReturns = new float[tokens];
        _mbLogProbabilities = new float[tokens];
        _mbEntropies = new float[tokens];
        _mbValues = new float[tokens];
        _mbGradLogProbabilities = new float[tokens];
        _mbGradEntropies = new float[tokens];
        _mbGradValues = new float[tokens];
    }

    /// <summary>The run's shard layout (S, slots per shard, minibatches).</summary>
    public ShardLayout Layout => _layout;

    /// <summary>The length of the flat weight and gradient buffers (<see cref="IPolicyOptimizer.ParameterCount"/>).</summary>
    public int ParameterCount => _flat.ParameterCount;

    /// <summary>The iteration whose rollout the worker holds for <paramref name="shard"/>, or −1 for none.</summary>
    /// <param name="shard">The shard, in [0, S).</param>
    /// <returns>The iteration or −1.</returns>
    public int HeldIteration(int shard)
    {
        Guard.Index(shard, _layout.ShardCount, nameof(shard));
        return _shards[shard]?.Iteration ?? -1;
    }

    /// <summary>The shard's kept rollout (tests: an independent minibatch reference).</summary>
    internal RolloutBuffer RolloutOf(int shard) => _shards[shard]?.Buffer ?? throw new ShardRolloutMissingException(shard, -1, -1);

    /// <summary>The shard's permutation of its local sequences in <paramref name="epoch"/> (tests).</summary>
    internal ReadOnlySpan<int> PermutationOf(int shard, int epoch) =>
        (_shards[shard] ?? throw new ShardRolloutMissingException(shard, -1, -1)).Permutations.AsSpan(epoch * _layout.SlotsPerShard, _layout.SlotsPerShard);

    /// <summary>Checks that a policy fits the run; returns its logits under <see cref="KlEarlyStop.ExactFullBatch"/> (null otherwise).</summary>
    internal static IEvaluatedLogits? CheckPolicy(IMetaPolicy policy, MetaEnvironmentSpec environment, PpoOptions options)
    {
        if (policy.ObservationSize != environment.ObservationSize || policy.ActionCount != environment.Distribution.ActionCount)
        {
            throw new ArgumentException($"policy (observation size {policy.ObservationSize}, {policy.ActionCount} actions) does not match the environment ({environment.ObservationSize}, {environment.Distribution.ActionCount}).", nameof(policy));
        }

        if (policy.MaxSequenceLength < environment.InteractionBudget)
        {
            throw new ArgumentException($"policy.MaxSequenceLength ({policy.MaxSequenceLength}) must be at least H = {environment.InteractionBudget}; build the policy with a longer context.", nameof(policy));
        }

        if (options.KlEarlyStop == KlEarlyStop.ExactFullBatch)
        {
            return policy as IEvaluatedLogits
                ?? throw new ArgumentException($"options.KlEarlyStop = ExactFullBatch reads the policy's full action distributions, which policies implementing IEvaluatedLogits expose (ActorCriticPolicy and the TorchSharp policies; {policy.GetType().Name} does not); use MinibatchEstimates.", nameof(options));
        }

        return null;
    }

    /// <inheritdoc/>
    public ShardRolloutResult CollectRollout(ShardRolloutRequest request)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        CheckShard(request.Shard, request.ShardCount);
        ArgumentOutOfRangeException.ThrowIfNegative(request.Iteration, "request.Iteration");
        ArgumentOutOfRangeException.ThrowIfNegative(request.TaskPosition, "request.TaskPosition");
        CheckLength(request.Parameters.Length, _flat.ParameterCount, "request.Parameters");
        CheckLength(request.SlotRandomStates.Length, 4 * _layout.SlotsPerShard, "request.SlotRandomStates");
        CheckLength(request.ActingRandomState.Length, 4, "request.ActingRandomState");
        CheckLength(request.ShuffleRandomState.Length, 4, "request.ShuffleRandomState");
        var slotStates = new RandomSourceState[_layout.SlotsPerShard];
        for (int i = 0; i < slotStates.Length; i++)
        {
            slotStates[i] = ReadState(request.SlotRandomStates, i, "request.SlotRandomStates");
        }

        var acting = ReadState(request.ActingRandomState, 0, "request.ActingRandomState");
        var shuffle = ReadState(request.ShuffleRandomState, 0, "request.ShuffleRandomState");

        long start = Stopwatch.GetTimestamp();
        var shard = _shards[request.Shard] ??= new ShardState(this, request.Shard);
        shard.Iteration = -1;
        _flat.CopyParametersFrom(request.Parameters);
        shard.Batch.SetRandomStates(slotStates);
        shard.Acting.SetState(acting);
        shard.Shuffle.SetState(shuffle);
        Rollout(shard, request.TaskPosition);

        var buffer = shard.Buffer;
        buffer.ComputeAdvantages(_options.Gamma, _options.GaeLambda);
        buffer.EpisodeReturns(shard.EpisodeReturns);
        if (_logitSource is not null)
        {
            BatchKl(shard, record: true);
        }

        DrawPermutations(shard);
        var minibatchAdvantages = new ShardMoments[_options.Epochs * _layout.MinibatchCount];
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            for (int minibatch = 0; minibatch < _layout.MinibatchCount; minibatch++)
            {
                int tokens = GatherAdvantages(shard, epoch, minibatch);
                minibatchAdvantages[(epoch * _layout.MinibatchCount) + minibatch] = ShardMoments.Of(_mbAdvantages.AsSpan(0, tokens));
            }
        }

        var (nonFiniteStep, nonFiniteInput) = FirstNonFiniteInput(shard);
        var slotsAfter = shard.Batch.GetRandomStates();
        var slotWords = new ulong[4 * slotsAfter.Length];
        for (int i = 0; i < slotsAfter.Length; i++)
        {
            WriteState(slotsAfter[i], slotWords, i);
        }

        shard.Iteration = request.Iteration;
        return new ShardRolloutResult
        {
            Iteration = request.Iteration,
            Shard = request.Shard,
            SlotRandomStates = slotWords,
            ActingRandomState = Words(shard.Acting.GetState()),
            ShuffleRandomState = Words(shard.Shuffle.GetState()),
            EpisodeReturns = ShardMoments.Of(shard.EpisodeReturns),
            CriticTargets = ShardMoments.Of(buffer.Returns),
            CriticResiduals = Residuals(buffer),
            MinibatchAdvantages = minibatchAdvantages,
            NonFiniteStep = nonFiniteStep,
            NonFiniteInput = nonFiniteInput,
            Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
        };
    }

    /// <inheritdoc/>
    public ShardGradientResult ComputeGradient(ShardGradientRequest request)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        var shard = HeldShard(request.Shard, request.Iteration);
        Guard.Index(request.Epoch, _options.Epochs, nameof(request), "request.Epoch");
        Guard.Index(request.Minibatch, _layout.MinibatchCount, nameof(request), "request.Minibatch");
        CheckLength(request.Parameters.Length, _flat.ParameterCount, "request.Parameters");

        long start = Stopwatch.GetTimestamp();
        _flat.CopyParametersFrom(request.Parameters);
        int tokens = Gather(shard, request.Epoch, request.Minibatch);
        int m = tokens / _h;
        if (_options.NormalizeAdvantages)
        {
            PpoLoss.NormalizeAdvantages(_mbAdvantages.AsSpan(0, tokens), request.AdvantageMean, request.AdvantageInverseStd);
        }

        _policy.EvaluateSequences(
            _mbObservations.AsSpan(0, tokens * _obs), _mbActions.AsSpan(0, tokens), m, _h,
            _mbLogProbabilities.AsSpan(0, tokens), _mbEntropies.AsSpan(0, tokens), _mbValues.AsSpan(0, tokens));
        var sums = PpoLoss.Accumulate(
            _mbLogProbabilities.AsSpan(0, tokens), _mbOldLogProbabilities.AsSpan(0, tokens), _mbAdvantages.AsSpan(0, tokens),
            _mbEntropies.AsSpan(0, tokens), _mbValues.AsSpan(0, tokens), _mbReturns.AsSpan(0, tokens),
            _layout.ShardCount * tokens, _options.ClipEpsilon, _options.ValueLossCoefficient, request.EntropyCoefficient, request.ActorActive,
            _mbGradLogProbabilities.AsSpan(0, tokens), _mbGradEntropies.AsSpan(0, tokens), _mbGradValues.AsSpan(0, tokens));
        _flat.ZeroGrad();
        _policy.BackwardSequences(_mbGradLogProbabilities.AsSpan(0, tokens), _mbGradEntropies.AsSpan(0, tokens), _mbGradValues.AsSpan(0, tokens));
        _flat.CopyGradientsTo(shard.Gradients);
        return new ShardGradientResult
        {
            Iteration = request.Iteration,
            Shard = request.Shard,
            Epoch = request.Epoch,
            Minibatch = request.Minibatch,
            Gradients = shard.Gradients,
            Loss = sums,
            Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
        };
    }

    /// <inheritdoc/>
    public ShardKlResult ComputeKl(ShardKlRequest request)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        if (_logitSource is null)
        {
            throw new InvalidOperationException("ComputeKl needs PpoOptions.KlEarlyStop = ExactFullBatch (π_old(·|s) is recorded only then).");
        }

        var shard = HeldShard(request.Shard, request.Iteration);
        CheckLength(request.Parameters.Length, _flat.ParameterCount, "request.Parameters");
        long start = Stopwatch.GetTimestamp();
        _flat.CopyParametersFrom(request.Parameters);
        double sum = BatchKl(shard, record: false);
        return new ShardKlResult
        {
            Iteration = request.Iteration,
            Shard = request.Shard,
            KlSum = sum,
            Steps = (long)_layout.SlotsPerShard * _h,
            Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds,
        };
    }

    /// <summary>Disposes the worker's own optimiser (not the policy).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsOptimizer)
        {
            _flat.Dispose();
        }
    }

    /// <summary>N/S fresh meta-episodes of H steps into the shard's buffer (slot i of the shard is global slot first + i).</summary>
    private void Rollout(ShardState shard, long taskPosition)
    {
        int n = _layout.SlotsPerShard, h = _h, first = _layout.FirstSlot(shard.Index);
        var batch = shard.Batch;
        var buffer = shard.Buffer;
        for (int i = 0; i < n; i++)
        {
            long taskIndex = taskPosition + first + i;
            batch.Reset(i, _sampler.SampleAt(taskIndex), taskIndex);
        }

        shard.PolicyState.ResetAll();
        CopyObservations(shard, 0);
        for (int t = 0; t < h; t++)
        {
            _policy.Act(shard.PolicyState, batch.Observations, ActionSelection.Sample, shard.Acting, shard.Actions, shard.LogProbabilities, shard.Values);
            for (int i = 0; i < n; i++)
            {
                buffer.Actions[i * h + t] = shard.Actions[i];
                buffer.LogProbabilities[i * h + t] = shard.LogProbabilities[i];
                buffer.Values[i * (h + 1) + t] = shard.Values[i];
            }

            batch.Step(shard.Actions);
            var rewards = batch.Rewards;
            for (int i = 0; i < n; i++)
            {
                buffer.Rewards[i * h + t] = (float)rewards[i];
                buffer.Terminals[i * h + t] = t == h - 1;
            }

            CopyObservations(shard, t + 1);
        }

        for (int i = 0; i < n; i++)
        {
            // The meta-episode terminates at t = H, so V(s_{H+1}) is never bootstrapped.
            buffer.Values[i * (h + 1) + h] = 0f;
        }
    }

    private static void CopyObservations(ShardState shard, int step)
    {
        for (int i = 0; i < shard.Actions.Length; i++)
        {
            shard.Batch.ObservationOf(i).CopyTo(shard.Buffer.ObservationAt(i, step));
        }
    }

    /// <summary>Each epoch's permutation of the shard's sequences: Fisher–Yates on the previous epoch's (identity under ExactFullBatch).</summary>
    private void DrawPermutations(ShardState shard)
    {
        int n = _layout.SlotsPerShard;
        var order = shard.Order;
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            if (_logitSource is null)
            {
                for (int i = n - 1; i > 0; i--)
                {
                    int j = shard.Shuffle.NextInt(i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
            }

            order.CopyTo(shard.Permutations, epoch * n);
        }
    }

    /// <summary>Copies the shard's sequences of a minibatch into the scratch, in permutation order; returns the token count.</summary>
    private int Gather(ShardState shard, int epoch, int minibatch)
    {
        int h = _h, obs = _obs;
        int m = _layout.ShardSequencesIn(minibatch);
        int offset = (epoch * _layout.SlotsPerShard) + _layout.ShardOffsetOf(minibatch);
        var buffer = shard.Buffer;
        for (int j = 0; j < m; j++)
        {
            int sequence = shard.Permutations[offset + j];
            // Observations o_1 … o_H of the sequence (o_{H+1} is not trained on).
            buffer.Observations.AsSpan(sequence * (h + 1) * obs, h * obs).CopyTo(_mbObservations.AsSpan(j * h * obs, h * obs));
            buffer.Actions.AsSpan(sequence * h, h).CopyTo(_mbActions.AsSpan(j * h, h));
            buffer.LogProbabilities.AsSpan(sequence * h, h).CopyTo(_mbOldLogProbabilities.AsSpan(j * h, h));
            buffer.Advantages.AsSpan(sequence * h, h).CopyTo(_mbAdvantages.AsSpan(j * h, h));
            buffer.Returns.AsSpan(sequence * h, h).CopyTo(_mbReturns.AsSpan(j * h, h));
        }

        return m * h;
    }

    /// <summary>The advantages alone of the shard's sequences of a minibatch, in permutation order (as <see cref="Gather"/> copies them); returns the token count.</summary>
    private int GatherAdvantages(ShardState shard, int epoch, int minibatch)
    {
        int h = _h;
        int m = _layout.ShardSequencesIn(minibatch);
        int offset = (epoch * _layout.SlotsPerShard) + _layout.ShardOffsetOf(minibatch);
        for (int j = 0; j < m; j++)
        {
            int sequence = shard.Permutations[offset + j];
            shard.Buffer.Advantages.AsSpan(sequence * h, h).CopyTo(_mbAdvantages.AsSpan(j * h, h));
        }

        return m * h;
    }

    /// <summary>
    /// One forward pass of the actor over the shard's sequences, M/S at a time in sequence order. With
    /// <paramref name="record"/> it stores log π(·|s) of every step and returns 0; otherwise it returns
    /// Σ over the shard's steps of Σ_a π_old(a|s)(log π_old(a|s) − log π(a|s)), summed in step order.
    /// </summary>
    private double BatchKl(ShardState shard, bool record)
    {
        int n = _layout.SlotsPerShard, h = _h, obs = _obs, actions = _policy.ActionCount;
        int chunk = _layout.ShardSequencesPerMinibatch;
        var buffer = shard.Buffer;
        var oldLogPolicy = shard.OldLogPolicy!;
        double sum = 0;
        for (int first = 0; first < n; first += chunk)
        {
            int m = Math.Min(chunk, n - first);
            int tokens = m * h;
            for (int j = 0; j < m; j++)
            {
                int sequence = first + j;
                buffer.Observations.AsSpan(sequence * (h + 1) * obs, h * obs).CopyTo(_mbObservations.AsSpan(j * h * obs, h * obs));
                buffer.Actions.AsSpan(sequence * h, h).CopyTo(_mbActions.AsSpan(j * h, h));
            }

            _policy.EvaluateSequences(
                _mbObservations.AsSpan(0, tokens * obs), _mbActions.AsSpan(0, tokens), m, h,
                _mbLogProbabilities.AsSpan(0, tokens), _mbEntropies.AsSpan(0, tokens), _mbValues.AsSpan(0, tokens));
            var logits = _logitSource!.EvaluatedLogits;
            for (int t = 0; t < tokens; t++)
            {
                var row = logits.Slice(t * actions, actions);
                var old = oldLogPolicy.AsSpan(((first * h) + t) * actions, actions);
                double max = double.NegativeInfinity;
                foreach (float z in row)
                {
                    max = Math.Max(max, z);
                }

                double normaliser = 0;
                foreach (float z in row)
                {
                    normaliser += Math.Exp(z - max);
                }

                double logNormaliser = max + Math.Log(normaliser);
                if (record)
                {
                    for (int a = 0; a < actions; a++)
                    {
                        old[a] = (float)(row[a] - logNormaliser);
                    }
                }
                else
                {
                    double kl = 0;
                    for (int a = 0; a < actions; a++)
                    {
                        double logOld = old[a];
                        kl += Math.Exp(logOld) * (logOld - (row[a] - logNormaliser));
                    }

                    sum += kl;
                }
            }
        }

        return sum;
    }

    /// <summary>Moments of R − V_old over the shard's tokens (sequence order, then step order), in double.</summary>
    private ShardMoments Residuals(RolloutBuffer buffer)
    {
        int n = _layout.SlotsPerShard, h = _h;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < h; t++)
            {
                double r = buffer.Returns[i * h + t];
                sum += r - buffer.Values[i * (h + 1) + t];
            }
        }

        long count = (long)n * h;
        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < h; t++)
            {
                double r = buffer.Returns[i * h + t];
                double d = r - buffer.Values[i * (h + 1) + t];
                squares += (d - mean) * (d - mean);
            }
        }

        return new ShardMoments(count, sum, squares);
    }

    /// <summary>The shard's first non-finite rollout input in time order (observation, then critic value, then reward of each step).</summary>
    private (int Step, string? Input) FirstNonFiniteInput(ShardState shard)
    {
        var buffer = shard.Buffer;
        if (FiniteValues.IndexOfNonFinite(buffer.Observations) < 0 && FiniteValues.IndexOfNonFinite(buffer.Values) < 0
            && FiniteValues.IndexOfNonFinite(buffer.Rewards) < 0)
        {
            return (-1, null);
        }

        int n = _layout.SlotsPerShard, h = _h, obs = _obs, first = _layout.FirstSlot(shard.Index);
        for (int t = 0; t <= h; t++)
        {
            for (int i = 0; i < n; i++)
            {
                int element = FiniteValues.IndexOfNonFinite(buffer.ObservationAt(i, t));
                if (element >= 0)
                {
                    var block = _spec.Layout.Blocks.First(b => element >= b.Offset && element < b.End);
                    return (t, $"observation of sequence {first + i} at step {t}: element {element} ({block.Name}[{element - block.Offset}]) is {buffer.Observations[(((i * (h + 1)) + t) * obs) + element].ToString(CultureInfo.InvariantCulture)}");
                }

                float critic = buffer.Values[(i * (h + 1)) + t];
                if (!float.IsFinite(critic))
                {
                    return (t, $"critic value the policy returned while acting for sequence {first + i} at step {t} ({critic.ToString(CultureInfo.InvariantCulture)})");
                }

                if (t < h && !float.IsFinite(buffer.Rewards[(i * h) + t]))
                {
                    return (t, $"reward of sequence {first + i} at step {t} ({buffer.Rewards[(i * h) + t].ToString(CultureInfo.InvariantCulture)} as float32: rewards must lie within ±3.4e38)");
                }
            }
        }

        return (-1, null);
    }

    private ShardState HeldShard(int shardIndex, int iteration)
    {
        Guard.Index(shardIndex, _layout.ShardCount, "request", "request.Shard");
        var shard = _shards[shardIndex];
        if (shard is null || shard.Iteration != iteration)
        {
            throw new ShardRolloutMissingException(shardIndex, iteration, shard?.Iteration ?? -1);
        }

        return shard;
    }

    private void CheckShard(int shard, int shardCount)
    {
        if (shardCount != _layout.ShardCount)
        {
            throw new ArgumentException($"request.ShardCount ({shardCount}) differs from this worker's run (PpoOptions.Shards = {_layout.ShardCount}).", "request");
        }

        Guard.Index(shard, _layout.ShardCount, "request", "request.Shard");
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} must hold {expected} values for this run but holds {actual}.", "request");
        }
    }

    private static RandomSourceState ReadState(ulong[] words, int index, string name)
    {
        var state = new RandomSourceState(words[4 * index], words[(4 * index) + 1], words[(4 * index) + 2], words[(4 * index) + 3]);
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException($"{name} holds an all-zero random state at entry {index} (not a valid generator state).", "request");
        }

        return state;
    }

    private static void WriteState(RandomSourceState state, ulong[] words, int index)
    {
        words[4 * index] = state.S0;
        words[(4 * index) + 1] = state.S1;
        words[(4 * index) + 2] = state.S2;
        words[(4 * index) + 3] = state.S3;
    }

    private static ulong[] Words(RandomSourceState state) => [state.S0, state.S1, state.S2, state.S3];

    /// <summary>What the worker keeps for one shard.</summary>
    private sealed class ShardState
    {
        public ShardState(ShardWorker worker, int index)
        {
            int n = worker._layout.SlotsPerShard, h = worker._h;
            Index = index;
            var spec = worker._spec;
            Batch = new MetaEnvironmentBatch(n, _ => spec.Create(), RandomSource.DeriveSeed(worker._options.Seed, 1), worker._options.MaxDegreeOfParallelism);
            PolicyState = worker._policy.CreateState(n);
            Buffer = new RolloutBuffer(n, h, worker._obs);
            Acting = new RandomSource(0);
            Shuffle = new RandomSource(0);
            Actions = new int[n];
            LogProbabilities = new float[n];
            Values = new float[n];
            EpisodeReturns = new double[n];
            Order = new int[n];
            Permutations = new int[worker._options.Epochs * n];
            OldLogPolicy = worker._logitSource is null ? null : new float[checked(n * h * worker._policy.ActionCount)];
            Gradients = new float[worker._flat.ParameterCount];
        }

        public int Index { get; }

        public int Iteration { get; set; } = -1;

        public MetaEnvironmentBatch Batch { get; }

        public IMetaPolicyState PolicyState { get; }

        public RolloutBuffer Buffer { get; }

        public RandomSource Acting { get; }

        public RandomSource Shuffle { get; }

        public int[] Actions { get; }

        public float[] LogProbabilities { get; }

        public float[] Values { get; }

        public double[] EpisodeReturns { get; }

        public int[] Order { get; }

        public int[] Permutations { get; }

        public float[]? OldLogPolicy { get; }

        public float[] Gradients { get; }
    }
}
