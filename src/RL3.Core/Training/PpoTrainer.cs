using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RL3.Core.Meta;
using RL3.Core.Policies;
using RL3.Core.Randomness;
using RL3.Core.Tasks;

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
    private readonly MetaEnvironmentBatch _batch;
    private readonly IMetaPolicyState _state;
    private readonly TaskSampler _sampler;
    private readonly RandomSource _actRandom;
    private readonly RandomSource _shuffleRandom;
    private readonly IPolicyOptimizer _optimizer;
    private readonly RolloutBuffer _buffer;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Dictionary<string, Histogram<double>> _instruments = [];
    private readonly int _n;
    private readonly int _h;
    private readonly int _obs;

    // Acting scratch.
    private readonly int[] _actions;
    private readonly float[] _logProbabilities;
    private readonly float[] _values;
    private readonly double[] _episodeReturns;

    // Minibatch scratch, sized for the largest minibatch.
    private readonly int[] _order;
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

    // KlEarlyStop.ExactFullBatch: log π_old(·|s) of every step of the batch, [N·H, A] (null under MinibatchEstimates).
    private readonly IEvaluatedLogits? _logitSource;
    private readonly float[]? _oldLogPolicy;

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
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate(environment.InteractionBudget);

        if (policy.ObservationSize != environment.ObservationSize || policy.ActionCount != environment.Distribution.ActionCount)
        {
            throw new ArgumentException($"policy (observation size {policy.ObservationSize}, {policy.ActionCount} actions) does not match the environment ({environment.ObservationSize}, {environment.Distribution.ActionCount}).", nameof(policy));
        }

        if (policy.MaxSequenceLength < environment.InteractionBudget)
        {
            throw new ArgumentException($"policy.MaxSequenceLength ({policy.MaxSequenceLength}) must be at least H = {environment.InteractionBudget}; build the policy with a longer context.", nameof(policy));
        }

        if (_options.KlEarlyStop == KlEarlyStop.ExactFullBatch)
        {
            _logitSource = policy as IEvaluatedLogits
                ?? throw new ArgumentException($"options.KlEarlyStop = ExactFullBatch reads the policy's full action distributions, which policies implementing IEvaluatedLogits expose (ActorCriticPolicy and the TorchSharp policies; {policy.GetType().Name} does not); use MinibatchEstimates.", nameof(options));
            _oldLogPolicy = new float[checked(_options.BatchSteps * policy.ActionCount)];
        }

        _policy = policy;
        _spec = environment;
        _logger = logger ?? NullLogger.Instance;
        _h = environment.InteractionBudget;
        _n = _options.EnvironmentCount(_h);
        _obs = environment.ObservationSize;

        ulong seed = _options.Seed;
        _batch = new MetaEnvironmentBatch(_n, _ => environment.Create(), RandomSource.DeriveSeed(seed, 1), _options.MaxDegreeOfParallelism);
        _sampler = new TaskSampler(environment.Distribution, RandomSource.DeriveSeed(seed, 2), TaskSplit.Training);
        _actRandom = RandomSource.Derive(seed, 3);
        _shuffleRandom = RandomSource.Derive(seed, 4);
        _state = policy.CreateState(_n);

        _optimizer = policy.CreateOptimizer(new PolicyOptimizerSettings
        {
            LearningRate = _options.LearningRate,
            Beta1 = _options.AdamBeta1,
            Beta2 = _options.AdamBeta2,
            Epsilon = _options.AdamEpsilon,
            CriticWeightDecay = _options.CriticWeightDecay,
        });

        _buffer = new RolloutBuffer(_n, _h, _obs);
        _actions = new int[_n];
        _logProbabilities = new float[_n];
        _values = new float[_n];
        _episodeReturns = new double[_n];
        _order = new int[_n];
        int tokens = _options.MinibatchSequences * _h;
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

        _meter = new Meter("RL3.Core.Training");
        foreach (string key in CsvColumns)
        {
            _instruments[key] = _meter.CreateHistogram<double>("rl3." + key.Replace('/', '.'));
        }
    }

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
        Rollout();
        double rolloutSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        _buffer.ComputeAdvantages(_options.Gamma, _options.GaeLambda);
        double explainedVariance = _buffer.ExplainedVariance();
        _buffer.EpisodeReturns(_episodeReturns);

        long updateStart = Stopwatch.GetTimestamp();
        var update = Update(iteration, entropyCoefficient);
        double updateSeconds = Stopwatch.GetElapsedTime(updateStart).TotalSeconds;
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        _iteration++;
        _totalSteps += (long)_n * _h;

        double mean = 0;
        foreach (double r in _episodeReturns)
        {
            mean += r;
        }

        mean /= _n;
        double variance = 0;
        foreach (double r in _episodeReturns)
        {
            variance += (r - mean) * (r - mean);
        }

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

    /// <summary>The rollout phase alone (for benchmarks): N fresh meta-episodes of H steps into the buffer.</summary>
    internal void RunRolloutOnly()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Rollout();
    }

    private void Rollout()
    {
        int n = _n, h = _h;
        for (int i = 0; i < n; i++)
        {
            long taskIndex = _sampler.Position;
            _batch.Reset(i, _sampler.Next(), taskIndex);
        }

        _state.ResetAll();
        CopyObservations(0);
        for (int t = 0; t < h; t++)
        {
            _policy.Act(_state, _batch.Observations, ActionSelection.Sample, _actRandom, _actions, _logProbabilities, _values);
            for (int i = 0; i < n; i++)
            {
                _buffer.Actions[i * h + t] = _actions[i];
                _buffer.LogProbabilities[i * h + t] = _logProbabilities[i];
                _buffer.Values[i * (h + 1) + t] = _values[i];
            }

            _batch.Step(_actions);
            var rewards = _batch.Rewards;
            for (int i = 0; i < n; i++)
            {
                _buffer.Rewards[i * h + t] = (float)rewards[i];
                _buffer.Terminals[i * h + t] = t == h - 1;
            }

            CopyObservations(t + 1);
        }

        for (int i = 0; i < n; i++)
        {
            // The meta-episode terminates at t = H, so V(s_{H+1}) is never bootstrapped.
            _buffer.Values[i * (h + 1) + h] = 0f;
        }

    }

    private void CopyObservations(int step)
    {
        for (int i = 0; i < _n; i++)
        {
            _batch.ObservationOf(i).CopyTo(_buffer.ObservationAt(i, step));
        }
    }

    private UpdateStatistics Update(int iteration, double entropyCoefficient)
    {
        int n = _n, h = _h, obs = _obs;
        int minibatchSequences = _options.MinibatchSequences;
        bool actorActive = true;
        int actorEpochs = 0;
        double lastKl = 0;
        PpoLossStatistics epochMean = default;

        for (int i = 0; i < n; i++)
        {
            _order[i] = i;
        }

        var oldLogPolicy = _oldLogPolicy;
        bool exact = oldLogPolicy is not null;
        if (oldLogPolicy is not null)
        {
            // π_old before any update of this iteration (the rollout's parameters).
            BatchKl(oldLogPolicy, record: true);
        }

        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            if (!exact)
            {
                Shuffle(_order, _shuffleRandom);
            }

            double policyLoss = 0, valueLoss = 0, entropy = 0, kl = 0, clip = 0;
            int minibatches = 0;
            for (int first = 0, minibatch = 0; first < n; first += minibatchSequences, minibatch++)
            {
                int m = Math.Min(minibatchSequences, n - first);
                int tokens = m * h;
                for (int j = 0; j < m; j++)
                {
                    int sequence = _order[first + j];
                    // Observations o_1 … o_H of the sequence (o_{H+1} is not trained on).
                    _buffer.Observations.AsSpan(sequence * (h + 1) * obs, h * obs).CopyTo(_mbObservations.AsSpan(j * h * obs, h * obs));
                    _buffer.Actions.AsSpan(sequence * h, h).CopyTo(_mbActions.AsSpan(j * h, h));
                    _buffer.LogProbabilities.AsSpan(sequence * h, h).CopyTo(_mbOldLogProbabilities.AsSpan(j * h, h));
                    _buffer.Advantages.AsSpan(sequence * h, h).CopyTo(_mbAdvantages.AsSpan(j * h, h));
                    _buffer.Returns.AsSpan(sequence * h, h).CopyTo(_mbReturns.AsSpan(j * h, h));
                }

                if (_options.NormalizeAdvantages)
                {
                    PpoLoss.NormalizeAdvantages(_mbAdvantages.AsSpan(0, tokens));
                }

                _policy.EvaluateSequences(
                    _mbObservations.AsSpan(0, tokens * obs), _mbActions.AsSpan(0, tokens), m, h,
                    _mbLogProbabilities.AsSpan(0, tokens), _mbEntropies.AsSpan(0, tokens), _mbValues.AsSpan(0, tokens));
                var stats = PpoLoss.Compute(
                    _mbLogProbabilities.AsSpan(0, tokens), _mbOldLogProbabilities.AsSpan(0, tokens), _mbAdvantages.AsSpan(0, tokens),
                    _mbEntropies.AsSpan(0, tokens), _mbValues.AsSpan(0, tokens), _mbReturns.AsSpan(0, tokens),
                    _options.ClipEpsilon, _options.ValueLossCoefficient, entropyCoefficient, actorActive,
                    _mbGradLogProbabilities.AsSpan(0, tokens), _mbGradEntropies.AsSpan(0, tokens), _mbGradValues.AsSpan(0, tokens));
                RequireFinite(TrainingMetricKeys.PolicyLoss, stats.PolicyLoss, iteration, epoch, minibatch);
                RequireFinite(TrainingMetricKeys.ValueLoss, stats.ValueLoss, iteration, epoch, minibatch);
                RequireFinite(TrainingMetricKeys.Entropy, stats.Entropy, iteration, epoch, minibatch);

                _optimizer.ZeroGrad();
                _policy.BackwardSequences(_mbGradLogProbabilities.AsSpan(0, tokens), _mbGradEntropies.AsSpan(0, tokens), _mbGradValues.AsSpan(0, tokens));
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
                lastKl = oldLogPolicy is not null ? BatchKl(oldLogPolicy, record: false) : epochMean.ApproxKl;
                if (lastKl >= _options.TargetKl)
                {
                    actorActive = false;
                }
            }
        }

        return new UpdateStatistics(epochMean.PolicyLoss, epochMean.ValueLoss, epochMean.Entropy, lastKl, epochMean.ClipFraction, actorEpochs);
    }

    /// <summary>
    /// One forward pass of the actor over the whole batch, minibatch by minibatch in sequence order. With
    /// <paramref name="record"/> it stores log π(·|s) of every step in <paramref name="oldLogPolicy"/> and returns 0;
    /// otherwise it returns the exact KL(π_old‖π) = mean over the N·H steps of Σ_a π_old(a|s)(log π_old(a|s) − log π(a|s)),
    /// summed in step order (deterministic).
    /// </summary>
    private double BatchKl(float[] oldLogPolicy, bool record)
    {
        int n = _n, h = _h, obs = _obs, actions = _policy.ActionCount;
        double sum = 0;
        for (int first = 0; first < n; first += _options.MinibatchSequences)
        {
            int m = Math.Min(_options.MinibatchSequences, n - first);
            int tokens = m * h;
            for (int j = 0; j < m; j++)
            {
                int sequence = first + j;
                _buffer.Observations.AsSpan(sequence * (h + 1) * obs, h * obs).CopyTo(_mbObservations.AsSpan(j * h * obs, h * obs));
                _buffer.Actions.AsSpan(sequence * h, h).CopyTo(_mbActions.AsSpan(j * h, h));
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

        return sum / ((double)n * h);
    }

    private static void Shuffle(int[] order, RandomSource random)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    private void RequireFinite(string quantity, double value, int iteration, int epoch, int minibatch)
    {
        if (!double.IsFinite(value))
        {
            ThrowDiverged(quantity, value, iteration, epoch, minibatch);
        }
    }

    private void ThrowDiverged(string quantity, double value, int iteration, int epoch, int minibatch) =>
        throw new TrainingDivergedException(quantity, value, iteration, epoch, minibatch, FirstNonFiniteInput());

    /// <summary>The first non-finite rollout input in time order (observation, then critic value, then reward of each step), or null.</summary>
    private string? FirstNonFiniteInput()
    {
        int n = _n, h = _h, obs = _obs;
        for (int t = 0; t <= h; t++)
        {
            for (int i = 0; i < n; i++)
            {
                int element = FiniteValues.IndexOfNonFinite(_buffer.ObservationAt(i, t));
                if (element >= 0)
                {
                    var block = _spec.Layout.Blocks.First(b => element >= b.Offset && element < b.End);
                    return $"observation of sequence {i} at step {t}: element {element} ({block.Name}[{element - block.Offset}]) is {_buffer.Observations[(((i * (h + 1)) + t) * obs) + element].ToString(CultureInfo.InvariantCulture)}";
                }

                float critic = _buffer.Values[(i * (h + 1)) + t];
                if (!float.IsFinite(critic))
                {
                    return $"critic value the policy returned while acting for sequence {i} at step {t} ({critic.ToString(CultureInfo.InvariantCulture)})";
                }

                if (t < h && !float.IsFinite(_buffer.Rewards[(i * h) + t]))
                {
                    return $"reward of sequence {i} at step {t} ({_buffer.Rewards[(i * h) + t].ToString(CultureInfo.InvariantCulture)} as float32: rewards must lie within ±3.4e38)";
                }
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _optimizer.Dispose();
        _meter.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "iteration {Iteration}: return {ReturnMean:F3}, approx KL {ApproxKl:F4}, actor epochs {ActorEpochs}, {StepsPerSecond:F0} steps/s")]
    private static partial void LogIteration(ILogger logger, int iteration, double returnMean, double approxKl, int actorEpochs, double stepsPerSecond);

    private readonly record struct UpdateStatistics(double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl, double ClipFraction, int ActorEpochs);
}
