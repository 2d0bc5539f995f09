using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Training.Shards;

namespace RL3.Core.Training;

/// <summary>
/// PPO meta-training of an RL² or RL³ agent (docs/method.md §6): each iteration runs N = batch/H fresh meta-episodes
/// of H steps on training tasks, computes GAE advantages with the pre-update critic, then runs up to E epochs of
/// clipped-PPO updates over minibatches of whole sequences.
/// </summary>
/// <remarks>
/// <para>One iteration, in the order of the paper:</para>
/// <list type="number">
/// <item>Sample N training tasks; reset the N meta-environments and the policy's recurrent state.</item>
/// <item>Act H steps with the current policy (sampling), storing observations, actions, log π_old, V_old and rewards.</item>
/// <item>GAE: δ_t = r_t + γ(1 − term_t)V(s_{t+1}) − V(s_t), A_t = δ_t + γλ(1 − term_t)A_{t+1}, term only at t = H;
/// targets R_t = A_t + V_old(s_t) stay fixed for the iteration.</item>
/// <item>For each epoch, shuffle the sequences (not under <see cref="KlEarlyStop.ExactFullBatch"/>, whose order is fixed); for each minibatch of whole sequences normalise the advantages,
/// evaluate the sequences, and minimise L = −mean(min(ρA, clip(ρ, 1±ε)A)) + c_v·mean((V − R)²) − c_ent·mean(H)
/// (<see cref="PpoLoss"/>); the policy's optimiser (<see cref="IMetaPolicy.CreateOptimizer"/>: Adam, the critic with
/// coupled weight decay) steps the actor and the critic.</item>
/// <item>After each epoch, if KL(π_old‖π) ≥ the target, the actor stops for this iteration; the critic continues.
/// <see cref="PpoOptions.KlEarlyStop"/> says how KL is measured: the mean of the minibatches' approximate KL taken before
/// each update (<see cref="KlEarlyStop.MinibatchEstimates"/>), or the exact KL over the whole batch with the updated
/// actor, Σ_a π_old(a|s)(log π_old(a|s) − log π(a|s)) averaged over every step (<see cref="KlEarlyStop.ExactFullBatch"/>,
/// the authors' PPO.jl).</item>
/// </list>
/// <para>
/// Randomness: one seed (<see cref="PpoOptions.Seed"/>) derives the task sampler, every environment slot's stream,
/// the acting stream and the shuffling stream; rollouts and GEMMs use all cores with bit-identical results for any
/// thread count. <see cref="SaveCheckpoint"/> / <see cref="LoadCheckpoint"/> capture every piece of state, so a resumed
/// run continues bit-for-bit as if it had never stopped.
/// </para>
/// <para>
/// Shards (docs/distributed.md): the trainer is the learner of <see cref="PpoOptions.Shards"/> = S shards. Rollouts,
/// partial gradients and partial statistics come from an <see cref="IShardExecutor"/> (in process: a
/// <see cref="ShardWorker"/> on this trainer's policy, shard after shard); the trainer combines them in shard order and
/// takes the optimiser steps. S = 1 is the single-process arithmetic; any S gives a deterministic function of the seed
/// and S, wherever the shards run.
/// </para>
/// </remarks>
public sealed partial class PpoTrainer : IDisposable
{
    private static readonly string[] CsvColumns =
    [
        TrainingMetricKeys.Iteration, TrainingMetricKeys.TotalSteps, TrainingMetricKeys.ReturnMean, TrainingMetricKeys.ReturnStd,
        TrainingMetricKeys.PolicyLoss, TrainingMetricKeys.ValueLoss, TrainingMetricKeys.Entropy, TrainingMetricKeys.ApproxKl,
        TrainingMetricKeys.ClipFraction, TrainingMetricKeys.ExplainedVariance, TrainingMetricKeys.ActorEpochs,
        TrainingMetricKeys.StepsPerSecond, TrainingMetricKeys.RolloutSeconds, TrainingMetricKeys.UpdateSeconds,
        TrainingMetricKeys.LearningRate, TrainingMetricKeys.EntropyCoefficient,
        TrainingMetricKeys.EvaluationReturnMean, TrainingMetricKeys.EvaluationReturnStandardError,
    ];

    private readonly PpoOptions _options;
    private readonly IMetaPolicy _policy;
    private readonly MetaEnvironmentSpec _spec;
    private readonly ShardLayout _layout;
    private readonly IShardExecutor _executor;
    private readonly ShardWorker? _localWorker;
    private readonly IPolicyOptimizer _optimizer;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Dictionary<string, Histogram<double>> _instruments = [];
    private readonly int _n;
    private readonly int _h;
    private readonly int _obs;
    private readonly bool _exactKl;

    // The learner's state between iterations: every random stream's state and the task sampler's position.
    private readonly RandomSourceState[] _slotStates;
    private readonly RandomSourceState[] _actingStates;
    private readonly RandomSourceState[] _shuffleStates;
    private long _taskPosition;

    // Update scratch: the flat weights sent with each request and the sum of the shards' gradients.
    private readonly float[] _parameters;
    private readonly float[] _gradientSum;
    private readonly float[][] _partials;
    private readonly ShardMoments[] _moments;
    private readonly ShardGradientRequest[] _gradientRequests;
    private readonly ShardKlRequest[] _klRequests;
    private string? _nonFiniteInput;

    private int _iteration;
    private long _totalSteps;
    private bool _disposed;

    /// <summary>Creates a trainer for <paramref name="policy"/> on the meta-environments described by <paramref name="environment"/>.</summary>
    /// <param name="policy">The policy to train (its observation size and action count must match the environments).</param>
    /// <param name="environment">How to build each meta-environment (RL² or RL³, task distribution, H).</param>
    /// <param name="options">PPO options; copied and validated here, so bad values fail at construction.</param>
    /// <param name="logger">Receives one line per iteration; null for none.</param>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent with the policy or environment.</exception>
    public PpoTrainer(IMetaPolicy policy, MetaEnvironmentSpec environment, PpoOptions options, ILogger? logger = null)
        : this(policy, environment, options, null, logger)
    {
    }

    /// <summary>
    /// Creates the learner of a run whose <see cref="PpoOptions.Shards"/> shards are computed by <paramref name="shardExecutor"/>
    /// (for example on other machines); the results are those of the in-process trainer with the same options.
    /// </summary>
    /// <param name="policy">The learner's policy (its optimiser takes the steps; its weights are sent with every request).</param>
    /// <param name="environment">How to build each meta-environment (RL² or RL³, task distribution, H).</param>
    /// <param name="options">PPO options; copied and validated here, so bad values fail at construction.</param>
    /// <param name="shardExecutor">Computes the shards (its <see cref="IShardExecutor.ShardCount"/> must equal <see cref="PpoOptions.Shards"/>); null for the in-process executor.</param>
    /// <param name="logger">Receives one line per iteration; null for none.</param>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent with the policy, environment or executor.</exception>
    public PpoTrainer(IMetaPolicy policy, MetaEnvironmentSpec environment, PpoOptions options, IShardExecutor? shardExecutor, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate(environment.InteractionBudget);
        _exactKl = ShardWorker.CheckPolicy(policy, environment, _options) is not null;
        if (shardExecutor is not null && shardExecutor.ShardCount != _options.Shards)
        {
            throw new ArgumentException($"shardExecutor serves {shardExecutor.ShardCount} shards but options.Shards is {_options.Shards}.", nameof(shardExecutor));
        }

        _policy = policy;
        _spec = environment;
        _logger = logger ?? NullLogger.Instance;
        _h = environment.InteractionBudget;
        _n = _options.EnvironmentCount(_h);
        _obs = environment.ObservationSize;
        _layout = new ShardLayout(_n, _options.MinibatchSequences, _options.Shards);

        ulong seed = _options.Seed;
        _slotStates = new RandomSourceState[_n];
        for (int i = 0; i < _n; i++)
        {
            _slotStates[i] = ShardLayout.InitialSlotState(seed, i);
        }

        _actingStates = new RandomSourceState[_layout.ShardCount];
        _shuffleStates = new RandomSourceState[_layout.ShardCount];
        for (int s = 0; s < _layout.ShardCount; s++)
        {
            _actingStates[s] = ShardLayout.InitialActingState(seed, s);
            _shuffleStates[s] = ShardLayout.InitialShuffleState(seed, s);
        }

        _optimizer = policy.CreateOptimizer(OptimizerSettings(_options));
        if (shardExecutor is null)
        {
            _localWorker = new ShardWorker(policy, _optimizer, environment, _options);
            _executor = new InProcessShardExecutor(_localWorker);
        }
        else
        {
            _executor = shardExecutor;
        }

        _parameters = new float[_optimizer.ParameterCount];
        _gradientSum = new float[_optimizer.ParameterCount];
        _partials = new float[_layout.ShardCount][];
        _moments = new ShardMoments[_layout.ShardCount];
        _gradientRequests = new ShardGradientRequest[_layout.ShardCount];
        _klRequests = new ShardKlRequest[_layout.ShardCount];

        _meter = new Meter("RL3.Core.Training");
        foreach (string key in CsvColumns)
        {
            _instruments[key] = _meter.CreateHistogram<double>("rl3." + key.Replace('/', '.'));
        }
    }

    /// <summary>The policy optimiser's settings of a run (the learner's and every worker's replica alike).</summary>
    internal static PolicyOptimizerSettings OptimizerSettings(PpoOptions options) => new()
    {
        LearningRate = options.LearningRate,
        Beta1 = options.AdamBeta1,
        Beta2 = options.AdamBeta2,
        Epsilon = options.AdamEpsilon,
        CriticWeightDecay = options.CriticWeightDecay,
    };

    /// <summary>The validated options (a copy).</summary>
    public PpoOptions Options => _options.Clone();

    /// <summary>The policy being trained.</summary>
    public IMetaPolicy Policy => _policy;

    /// <summary>The meta-environment recipe.</summary>
    public MetaEnvironmentSpec Environment => _spec;

    /// <summary>Iterations completed so far.</summary>
    public int Iteration => _iteration;

    /// <summary>Environment steps taken so far.</summary>
    public long TotalSteps => _totalSteps;

    /// <summary>The CSV columns written by <see cref="MetricsCsvCallback"/> (every metric key of an iteration).</summary>
    public static IReadOnlyList<string> MetricColumns => CsvColumns;

    /// <summary>
    /// Trains until <see cref="PpoOptions.Iterations"/> iterations have been completed in total (or <paramref name="iterations"/>
    /// more, when given), a callback returns false, or <paramref name="cancellationToken"/> is cancelled (checked between iterations).
    /// </summary>
    /// <param name="iterations">Iterations to run in this call; null to run up to <see cref="PpoOptions.Iterations"/> in total.</param>
    /// <param name="callbacks">Called after every iteration, in order.</param>
    /// <param name="progress">Receives progress after every iteration.</param>
    /// <param name="cancellationToken">Stops training between iterations.</param>
    /// <returns>What was done.</returns>
    public TrainingSummary Train(
        int? iterations = null,
        IReadOnlyList<ITrainingCallback>? callbacks = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (iterations is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "iterations must be ≥ 0 (or null for the options' total).");
        }

        int target = iterations is { } more ? _iteration + more : _options.Iterations;
        TrainingIterationResult? last = null;
        bool stopped = false;
        while (_iteration < target)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stopped = true;
                break;
            }

            var result = RunIteration();
            var extra = new Dictionary<string, double>();
            bool keepGoing = true;
            if (callbacks is not null)
            {
                foreach (var callback in callbacks)
                {
                    keepGoing &= callback.OnIterationEnd(this, result, extra);
                }
            }

            if (extra.Count > 0)
            {
                var merged = new Dictionary<string, double>(result.Metrics);
                foreach (var (k, v) in extra)
                {
                    merged[k] = v;
                }

                result = result with { Metrics = new ReadOnlyDictionary<string, double>(merged) };
            }

            last = result;
            progress?.Report(new TrainingProgress(_iteration, target, result.ReturnMean, result.Get(TrainingMetricKeys.ApproxKl), result.Get(TrainingMetricKeys.StepsPerSecond)));
            if (!keepGoing)
            {
                stopped = _iteration < target;
                break;
            }
        }

        return new TrainingSummary(_iteration, _totalSteps, stopped, last);
    }

    /// <summary>Runs one PPO iteration (rollout + update) and returns its metrics.</summary>
    /// <returns>The iteration's metrics.</returns>
    /// <exception cref="TrainingDivergedException">A loss or gradient became NaN or infinite.</exception>
    public TrainingIterationResult RunIteration()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int iteration = _iteration;
        double learningRate = _options.LearningRateAt(iteration);
        double entropyCoefficient = _options.EntropyCoefficientAt(iteration);
        _optimizer.LearningRate = learningRate;

        long start = Stopwatch.GetTimestamp();
        var rollouts = CollectRollouts(iteration);
        double rolloutSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        var targets = Combine(rollouts, r => r.CriticTargets);
        var residuals = Combine(rollouts, r => r.CriticResiduals);
        double explainedVariance = targets.SquaredDeviations == 0 ? double.NaN : 1 - residuals.SquaredDeviations / targets.SquaredDeviations;
        var returns = Combine(rollouts, r => r.EpisodeReturns);

        long updateStart = Stopwatch.GetTimestamp();
        var update = Update(iteration, entropyCoefficient, rollouts);
        double updateSeconds = Stopwatch.GetElapsedTime(updateStart).TotalSeconds;
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        _iteration++;
        _totalSteps += (long)_n * _h;

        double mean = returns.Sum / _n;
        double variance = returns.SquaredDeviations;

        var metrics = new Dictionary<string, double>
        {
            [TrainingMetricKeys.Iteration] = iteration,
            [TrainingMetricKeys.TotalSteps] = _totalSteps,
            [TrainingMetricKeys.ReturnMean] = mean,
            [TrainingMetricKeys.ReturnStd] = Math.Sqrt(variance / _n),
            [TrainingMetricKeys.PolicyLoss] = update.PolicyLoss,
            [TrainingMetricKeys.ValueLoss] = update.ValueLoss,
            [TrainingMetricKeys.Entropy] = update.Entropy,
            [TrainingMetricKeys.ApproxKl] = update.ApproxKl,
            [TrainingMetricKeys.ClipFraction] = update.ClipFraction,
            [TrainingMetricKeys.ExplainedVariance] = explainedVariance,
            [TrainingMetricKeys.ActorEpochs] = update.ActorEpochs,
            [TrainingMetricKeys.StepsPerSecond] = seconds > 0 ? _n * _h / seconds : double.NaN,
            [TrainingMetricKeys.RolloutSeconds] = rolloutSeconds,
            [TrainingMetricKeys.UpdateSeconds] = updateSeconds,
            [TrainingMetricKeys.LearningRate] = learningRate,
            [TrainingMetricKeys.EntropyCoefficient] = entropyCoefficient,
        };

        foreach (var (key, value) in metrics)
        {
            if (_instruments.TryGetValue(key, out var instrument) && double.IsFinite(value))
            {
                instrument.Record(value);
            }
        }

        LogIteration(_logger, iteration, mean, update.ApproxKl, update.ActorEpochs, metrics[TrainingMetricKeys.StepsPerSecond]);
        return new TrainingIterationResult(iteration, _totalSteps, new ReadOnlyDictionary<string, double>(metrics));
    }

    /// <summary>The rollout phase alone (for benchmarks): N fresh meta-episodes of H steps, the streams and the task position advanced.</summary>
    internal void RunRolloutOnly()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CollectRollouts(_iteration);
    }

    /// <summary>
    /// Every shard's rollout of <paramref name="iteration"/> from the current weights; stores the streams' new states and
    /// advances the task position by N (the learner's state for the next iteration).
    /// </summary>
    private ShardRolloutResult[] CollectRollouts(int iteration)
    {
        int shards = _layout.ShardCount, perShard = _layout.SlotsPerShard;
        _optimizer.CopyParametersTo(_parameters);
        var requests = new ShardRolloutRequest[shards];
        for (int s = 0; s < shards; s++)
        {
            var slotWords = new ulong[4 * perShard];
            for (int i = 0; i < perShard; i++)
            {
                WriteState(_slotStates[_layout.FirstSlot(s) + i], slotWords, i);
            }

            requests[s] = new ShardRolloutRequest
            {
                Iteration = iteration,
                Shard = s,
                ShardCount = shards,
                TaskPosition = _taskPosition,
                Parameters = _parameters,
                SlotRandomStates = slotWords,
                ActingRandomState = Words(_actingStates[s]),
                ShuffleRandomState = Words(_shuffleStates[s]),
            };
        }

        var results = Wait(_executor.CollectRolloutsAsync(requests));
        CheckResults(results.Length, shards, nameof(IShardExecutor.CollectRolloutsAsync));
        string? nonFinite = null;
        int nonFiniteStep = int.MaxValue;
        for (int s = 0; s < shards; s++)
        {
            var result = results[s];
            if (result.Shard != s || result.Iteration != iteration || result.SlotRandomStates.Length != 4 * perShard
                || result.ActingRandomState.Length != 4 || result.ShuffleRandomState.Length != 4
                || result.MinibatchAdvantages.Length != _options.Epochs * _layout.MinibatchCount)
            {
                throw new InvalidOperationException($"The shard executor returned a rollout result that does not answer shard {s}'s request of iteration {iteration}.");
            }

            if (result.NonFiniteStep >= 0 && result.NonFiniteStep < nonFiniteStep)
            {
                nonFiniteStep = result.NonFiniteStep;
                nonFinite = result.NonFiniteInput;
            }
        }

        for (int s = 0; s < shards; s++)
        {
            var result = results[s];
            for (int i = 0; i < perShard; i++)
            {
                _slotStates[_layout.FirstSlot(s) + i] = ReadState(result.SlotRandomStates, i);
            }

            _actingStates[s] = ReadState(result.ActingRandomState, 0);
            _shuffleStates[s] = ReadState(result.ShuffleRandomState, 0);
        }

        _taskPosition += _n;
        _nonFiniteInput = nonFinite;
        return results;
    }

    private UpdateStatistics Update(int iteration, double entropyCoefficient, ShardRolloutResult[] rollouts)
    {
        int shards = _layout.ShardCount, minibatchCount = _layout.MinibatchCount;
        bool actorActive = true;
        int actorEpochs = 0;
        double lastKl = 0;
        PpoLossStatistics epochMean = default;

        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            double policyLoss = 0, valueLoss = 0, entropy = 0, kl = 0, clip = 0;
            int minibatches = 0;
            for (int minibatch = 0; minibatch < minibatchCount; minibatch++)
            {
                // The minibatch's advantage statistics from the shards' moments, combined in shard order.
                for (int s = 0; s < shards; s++)
                {
                    _moments[s] = rollouts[s].MinibatchAdvantages[(epoch * minibatchCount) + minibatch];
                }

                var advantages = ShardMoments.Combine(_moments);
                _optimizer.CopyParametersTo(_parameters);
                for (int s = 0; s < shards; s++)
                {
                    _gradientRequests[s] = new ShardGradientRequest
                    {
                        Iteration = iteration,
                        Shard = s,
                        Epoch = epoch,
                        Minibatch = minibatch,
                        Parameters = _parameters,
                        AdvantageMean = advantages.Mean,
                        AdvantageInverseStd = PpoLoss.AdvantageInverseStd(advantages),
                        ActorActive = actorActive,
                        EntropyCoefficient = entropyCoefficient,
                    };
                }

                var results = Wait(_executor.ComputeGradientsAsync(_gradientRequests));
                CheckResults(results.Length, shards, nameof(IShardExecutor.ComputeGradientsAsync));
                var stats = CombineLoss(results, iteration, epoch, minibatch);
                RequireFinite(TrainingMetricKeys.PolicyLoss, stats.PolicyLoss, iteration, epoch, minibatch);
                RequireFinite(TrainingMetricKeys.ValueLoss, stats.ValueLoss, iteration, epoch, minibatch);
                RequireFinite(TrainingMetricKeys.Entropy, stats.Entropy, iteration, epoch, minibatch);

                // Σ of the shards' partial gradients, element-wise in shard order, into the policy's gradients.
                for (int s = 0; s < shards; s++)
                {
                    _partials[s] = results[s].Gradients;
                }

                ShardGradients.SumInShardOrder(_partials, _gradientSum);

                _optimizer.CopyGradientsFrom(_gradientSum);
                double criticNorm = _optimizer.GradientNorm(PolicyParameterGroups.Critic);
                RequireFinite("gradients/critic_norm", criticNorm, iteration, epoch, minibatch);
                if (actorActive)
                {
                    double actorNorm = _optimizer.GradientNorm(PolicyParameterGroups.Actor);
                    RequireFinite("gradients/actor_norm", actorNorm, iteration, epoch, minibatch);
                }

                if (_options.MaxGradientNorm is { } maxNorm)
                {
                    // Actor and critic are separate networks with separate optimisers: each is clipped to maxNorm.
                    _optimizer.ClipGradientNorm(PolicyParameterGroups.Actor, maxNorm);
                    _optimizer.ClipGradientNorm(PolicyParameterGroups.Critic, maxNorm);
                }

                _optimizer.Step(actorActive ? PolicyParameterGroups.All : PolicyParameterGroups.Critic);

                policyLoss += stats.PolicyLoss;
                valueLoss += stats.ValueLoss;
                entropy += stats.Entropy;
                kl += stats.ApproxKl;
                clip += stats.ClipFraction;
                minibatches++;
            }

            double inverse = 1.0 / minibatches;
            epochMean = new PpoLossStatistics(policyLoss * inverse, valueLoss * inverse, entropy * inverse, kl * inverse, clip * inverse, 0);
            if (actorActive)
            {
                actorEpochs++;
                lastKl = _exactKl ? ExactKl(iteration) : epochMean.ApproxKl;
                if (lastKl >= _options.TargetKl)
                {
                    actorActive = false;
                }
            }
        }

        return new UpdateStatistics(epochMean.PolicyLoss, epochMean.ValueLoss, epochMean.Entropy, lastKl, epochMean.ClipFraction, actorEpochs);
    }

    /// <summary>The minibatch's loss statistics from the shards' sums, added in shard order and divided by its token count.</summary>
    private PpoLossStatistics CombineLoss(ShardGradientResult[] results, int iteration, int epoch, int minibatch)
    {
        var first = results[0].Loss;
        int tokens = first.Tokens, clipped = first.ClippedCount;
        double policySum = first.PolicySum, valueSum = first.ValueSum, entropySum = first.EntropySum, klSum = first.ApproxKlSum;
        for (int s = 0; s < results.Length; s++)
        {
            var result = results[s];
            if (result.Shard != s || result.Iteration != iteration || result.Epoch != epoch || result.Minibatch != minibatch
                || result.Gradients.Length != _gradientSum.Length)
            {
                throw new InvalidOperationException($"The shard executor returned a gradient result that does not answer shard {s}'s request (iteration {iteration}, epoch {epoch}, minibatch {minibatch}).");
            }

            if (s == 0)
            {
                continue;
            }

            var loss = result.Loss;
            tokens += loss.Tokens;
            clipped += loss.ClippedCount;
            policySum += loss.PolicySum;
            valueSum += loss.ValueSum;
            entropySum += loss.EntropySum;
            klSum += loss.ApproxKlSum;
        }

        double inverseN = 1.0 / tokens;
        return new PpoLossStatistics(-policySum * inverseN, valueSum * inverseN, entropySum * inverseN, klSum * inverseN, clipped * inverseN, 0);
    }

    /// <summary>The exact KL(π_old‖π) over the whole batch at the current weights: the shards' sums in shard order ÷ N·H.</summary>
    private double ExactKl(int iteration)
    {
        _optimizer.CopyParametersTo(_parameters);
        for (int s = 0; s < _layout.ShardCount; s++)
        {
            _klRequests[s] = new ShardKlRequest { Iteration = iteration, Shard = s, Parameters = _parameters };
        }

        var results = Wait(_executor.ComputeKlAsync(_klRequests));
        CheckResults(results.Length, _layout.ShardCount, nameof(IShardExecutor.ComputeKlAsync));
        double sum = 0;
        for (int s = 0; s < results.Length; s++)
        {
            if (results[s].Shard != s || results[s].Iteration != iteration)
            {
                throw new InvalidOperationException($"The shard executor returned a KL result that does not answer shard {s}'s request of iteration {iteration}.");
            }

            sum = s == 0 ? results[s].KlSum : sum + results[s].KlSum;
        }

        return sum / ((double)_n * _h);
    }

    private static ShardMoments Combine(ShardRolloutResult[] rollouts, Func<ShardRolloutResult, ShardMoments> select)
    {
        var parts = new ShardMoments[rollouts.Length];
        for (int s = 0; s < parts.Length; s++)
        {
            parts[s] = select(rollouts[s]);
        }

        return ShardMoments.Combine(parts);
    }

    private static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private static void CheckResults(int count, int shards, string call)
    {
        if (count != shards)
        {
            throw new InvalidOperationException($"The shard executor's {call} returned {count} results for {shards} shards.");
        }
    }

    private static void WriteState(RandomSourceState state, ulong[] words, int index)
    {
        words[4 * index] = state.S0;
        words[(4 * index) + 1] = state.S1;
        words[(4 * index) + 2] = state.S2;
        words[(4 * index) + 3] = state.S3;
    }

    private static ulong[] Words(RandomSourceState state) => [state.S0, state.S1, state.S2, state.S3];

    private static RandomSourceState ReadState(ulong[] words, int index)
    {
        var state = new RandomSourceState(words[4 * index], words[(4 * index) + 1], words[(4 * index) + 2], words[(4 * index) + 3]);
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new InvalidOperationException("The shard executor returned an all-zero random state.");
        }

        return state;
    }

    private void RequireFinite(string quantity, double value, int iteration, int epoch, int minibatch)
    {
        if (!double.IsFinite(value))
        {
            ThrowDiverged(quantity, value, iteration, epoch, minibatch);
        }
    }

    private void ThrowDiverged(string quantity, double value, int iteration, int epoch, int minibatch) =>
        throw new TrainingDivergedException(quantity, value, iteration, epoch, minibatch, _nonFiniteInput);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _localWorker?.Dispose();
        _optimizer.Dispose();
        _meter.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "iteration {Iteration}: return {ReturnMean:F3}, approx KL {ApproxKl:F4}, actor epochs {ActorEpochs}, {StepsPerSecond:F0} steps/s")]
    private static partial void LogIteration(ILogger logger, int iteration, double returnMean, double approxKl, int actorEpochs, double stepsPerSecond);

    private readonly record struct UpdateStatistics(double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double ClipFraction, int ActorEpochs);
}
